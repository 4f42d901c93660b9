import { CompactRange, parseCheckpoint, toHex } from "../../domain/archive/index.ts";
import { verifyNote } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import type { ArchiveReads, CheckpointRecord } from "../ports.ts";
import { hasher, rootAt } from "./log.ts";

/** What is wrong with a stored checkpoint against the root its size gives: a `checkpoints` column and why. */
export interface CheckpointProblem {
  field: "root_hex" | "note";
  code: string;
  message: string;
}

/**
 * A checkpoint holds when its stored root is the log's root at its size and its note is signed by this gateway's
 * checkpoint key over the same origin, size and root (C2SP signed note). Shared by the 四性 audit (every
 * checkpoint) and the head check of a database copy (the newest).
 */
export function checkpointProblems(
  signer: GatewayDeps["archiveSigner"],
  cp: CheckpointRecord,
  root: Uint8Array,
): CheckpointProblem[] {
  const problems: CheckpointProblem[] = [];
  if (cp.rootHex !== toHex(root)) {
    problems.push({
      field: "root_hex",
      code: "ROOT_MISMATCH",
      message: `checkpoint ${cp.size} stores root ${cp.rootHex}, the leaves give ${toHex(root)}`,
    });
  }
  try {
    if (!signer) throw new Error("this gateway has no archive key to verify checkpoints with");
    const body = parseCheckpoint(verifyNote(cp.note, [signer.verifierKey]).text);
    const wrong =
      body.origin !== signer.origin
        ? `origin ${body.origin}`
        : body.size !== cp.size
          ? `size ${body.size}`
          : toHex(body.root) !== toHex(root)
            ? `root ${toHex(body.root)}`
            : undefined;
    if (wrong)
      problems.push({
        field: "note",
        code: "NOTE_MISMATCH",
        message: `checkpoint ${cp.size}: the signed note says ${wrong}`,
      });
  } catch (err) {
    const code = (err as { code?: string }).code ?? "NOTE_UNVERIFIED";
    problems.push({ field: "note", code, message: `checkpoint ${cp.size}: ${(err as Error).message}` });
  }
  return problems;
}

/** The archive log of a store as its newest checkpoint vouches for it. */
export interface ArchiveHead {
  /** Leaves in the log. */
  size: number;
  /** The newest signed checkpoint, if the gateway has cut one. */
  checkpoint?: Pick<CheckpointRecord, "size" | "rootHex" | "at">;
  problems: CheckpointProblem[];
}

/** Stored leaf hashes read per page when the head check folds them into a root. */
const HEAD_PAGE = 4096;

/**
 * The proof that a database (a backup copy, years on) holds the log this gateway signed: its newest checkpoint's
 * signature verifies, and both the stored subtree hashes and every stored leaf hash (folded again into a root) give
 * the signed root. A log with leaves and no checkpoint fails (NO_CHECKPOINT): nothing vouches for it. The entries
 * themselves, the seals and the case indexes are not re-read here — `runAudit` rehashes and re-verifies everything.
 */
export async function verifyArchiveHead(
  deps: Pick<GatewayDeps, "archiveSigner"> & { store: ArchiveReads },
): Promise<ArchiveHead> {
  const archive = deps.store.archive;
  const [size, latest] = await Promise.all([archive.size(), archive.latestCheckpoint()]);
  if (!latest) {
    const problems: CheckpointProblem[] = size
      ? [{ field: "root_hex", code: "NO_CHECKPOINT", message: `the log holds ${size} leaves and no signed checkpoint` }]
      : [];
    return { size, problems };
  }
  const checkpoint = { size: latest.size, rootHex: latest.rootHex, at: latest.at };
  if (latest.size > size) {
    const message = `the newest checkpoint covers ${latest.size} leaves; the log holds ${size}`;
    return { size, checkpoint, problems: [{ field: "root_hex", code: "LOG_SHORT", message }] };
  }
  const problems = checkpointProblems(deps.archiveSigner, latest, await rootAt(deps, latest.size));
  const folded = await foldLeafHashes(archive, latest.size);
  if (typeof folded === "string") problems.push({ field: "root_hex", code: "NODE_MISSING", message: folded });
  else if (toHex(folded) !== latest.rootHex)
    problems.push({
      field: "root_hex",
      code: "ROOT_MISMATCH",
      message: `checkpoint ${latest.size} stores root ${latest.rootHex}, the stored leaf hashes give ${toHex(folded)}`,
    });
  return { size, checkpoint, problems };
}

/** The root of the first `size` stored leaf hashes (level-0 nodes), or what is missing. */
async function foldLeafHashes(archive: ArchiveReads["archive"], size: number): Promise<Uint8Array | string> {
  let range = CompactRange.empty(hasher);
  for (let from = 0; from < size; from += HEAD_PAGE) {
    const ids = Array.from({ length: Math.min(HEAD_PAGE, size - from) }, (_, i) => ({ level: 0, index: from + i }));
    const hashes = await archive.nodes(ids);
    const missing = hashes.indexOf(undefined);
    if (missing !== -1) return `the hash of leaf ${from + missing} is missing`;
    range = range.appendBatch(hashes as Uint8Array[]).range;
  }
  return range.root();
}
