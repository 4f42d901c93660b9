import { bytesEqual } from "../../domain/bytes.ts";
import { CompactRange, toHex } from "../../domain/archive/index.ts";
import { auditEntry } from "./audit-entry.ts";
import { checkpointProblems } from "./checkpoint-check.ts";
import { CaseIndexAudit, isIndexLeaf } from "./audit-index.ts";
import { AuditTally, leafFailure, type AuditReport } from "./audit-report.ts";
import { hasher } from "./log.ts";
import type { GatewayDeps } from "../deps.ts";
import type { ArchiveLeaf, ArchiveReads, CheckpointRecord, DocumentReads, Principal } from "../ports.ts";
import { requireRole } from "../principal.ts";

export type { AuditFailure, AuditItem, AuditItemId, AuditReport, Property } from "./audit-report.ts";

/** Leaves read per page: the audit streams, so memory stays flat however long the log. */
export const AUDIT_PAGE = 256;

/** What the audit reads: the whole log, the stored copies of its documents; it verifies seals and checkpoints. */
type AuditDeps = Pick<GatewayDeps, "archiveSigner" | "clock" | "verifier"> & { store: ArchiveReads & DocumentReads };

/**
 * The integrity audit (四性检测, issue 6 item 6). Streams through the stored leaves once: recomputes
 * each leaf hash from the entry bytes and the whole tree from them, compares every stored subtree
 * hash and every checkpoint's root, verifies every checkpoint signature, re-verifies every seal,
 * checks metadata, canonical form and schema conformance, and that every case index lists exactly
 * its case's leaves (audit-index.ts). Any single flipped byte in entries, hashes
 * or checkpoints shows up as a failure located by table, index/level/size and field.
 */
export async function auditArchive(deps: AuditDeps, principal: Principal): Promise<AuditReport> {
  requireRole(principal, "compliance", "admin");
  return runAudit(deps);
}

export async function runAudit(
  deps: AuditDeps,
  onProgress?: (done: number, total: number) => void,
): Promise<AuditReport> {
  const tally = new AuditTally();
  const archive = deps.store.archive;
  const size = await archive.size();
  const checkpoints = [...(await archive.checkpoints())].sort((a, b) => a.size - b.size);
  let range = CompactRange.empty(hasher);
  let next = 0;
  let broken = false;
  const caseIndexes = new CaseIndexAudit();
  const reachCheckpoints = () => {
    while (next < checkpoints.length && checkpoints[next]!.size <= range.size) {
      const cp = checkpoints[next++]!;
      if (cp.size === range.size) checkCheckpoint(deps, cp, range.root(), tally);
    }
  };
  reachCheckpoints();
  for (let from = 0; from < size; from += AUDIT_PAGE) {
    const count = Math.min(AUDIT_PAGE, size - from);
    const leaves = await archive.leaves(from, count);
    const byIndex = new Map(leaves.map((l) => [l.index, l]));
    const levelZero = await archive.nodes(Array.from({ length: count }, (_, i) => ({ level: 0, index: from + i })));
    const computed: { level: number; index: number; hash: Uint8Array }[] = [];
    for (let i = 0; i < count; i++) {
      const index = from + i;
      tally.checked("security.sequence");
      const leaf = byIndex.get(index);
      if (!leaf) tally.fail("security.sequence", leafFailure(index)("idx", "LEAF_MISSING", `leaf ${index} is missing`));
      const truth = leafTruth(index, leaf, levelZero[i], tally);
      // Without any copy of a leaf hash the tree above it cannot be rebuilt: later subtrees and roots go unchecked.
      broken ||= !truth;
      if (broken) continue;
      const appended = range.append(truth!);
      range = appended.range;
      computed.push(...appended.nodes.filter((n) => n.level > 0));
      reachCheckpoints();
    }
    await compareNodes(deps, computed, tally);
    for (const leaf of leaves) {
      caseIndexes.observe(leaf, tally);
      if (!isIndexLeaf(leaf)) await auditEntry(deps, leaf, tally);
    }
    onProgress?.(from + count, size);
  }
  for (; next < checkpoints.length; next++) {
    const cp = checkpoints[next]!;
    tally.checked("integrity.checkpoint-roots");
    tally.fail("integrity.checkpoint-roots", {
      table: "checkpoints",
      size: cp.size,
      field: "size",
      code: "CHECKPOINT_BEYOND_LOG",
      message: `checkpoint of size ${cp.size} is beyond the log's ${range.size} verifiable leaves`,
    });
  }
  checkOrder(checkpoints, tally);
  caseIndexes.finish(tally);
  return tally.report({
    generatedAt: deps.clock.now().toISOString(),
    ...(deps.archiveSigner ? { origin: deps.archiveSigner.origin } : {}),
    treeSize: size,
    checkpoints: checkpoints.length,
  });
}

/**
 * The leaf hash to build the reference tree with, and where a disagreement lies: of the hash of the
 * entry bytes, the stored leaf_hash and the stored level-0 node, the odd one out is the altered copy.
 */
function leafTruth(
  index: number,
  leaf: ArchiveLeaf | undefined,
  node: Uint8Array | undefined,
  tally: AuditTally,
): Uint8Array | undefined {
  tally.checked("integrity.nodes");
  if (!leaf) return node;
  tally.checked("authenticity.fixity");
  const computed = hasher.hashLeaf(leaf.entry);
  const [c, s, n] = [toHex(computed), toHex(leaf.leafHash), node ? toHex(node) : undefined];
  if (c === s && c === n) return computed;
  const at = leafFailure(index);
  const entryAltered = () =>
    tally.fail(
      "authenticity.fixity",
      at("entry", "ENTRY_ALTERED", `entry ${index} hashes to ${c}, its stored leaf hash is ${s}`),
    );
  if (s === n) {
    entryAltered();
    return leaf.leafHash;
  }
  if (c === n) {
    tally.fail(
      "authenticity.fixity",
      at("leaf_hash", "LEAF_HASH_ALTERED", `stored leaf_hash of ${index} is ${s}, the entry hashes to ${c}`),
    );
    return computed;
  }
  const message =
    n === undefined ? `level-0 node ${index} is missing` : `level-0 node ${index} is ${n}, the entry hashes to ${c}`;
  tally.fail("integrity.nodes", {
    table: "archive_nodes",
    level: 0,
    index,
    field: "hash",
    code: n === undefined ? "NODE_MISSING" : "NODE_MISMATCH",
    message,
  });
  if (c !== s) entryAltered();
  return c === s ? computed : leaf.leafHash;
}

/** Every complete subtree the reference tree produced must be stored with the same hash. */
async function compareNodes(
  deps: { store: ArchiveReads },
  computed: { level: number; index: number; hash: Uint8Array }[],
  tally: AuditTally,
): Promise<void> {
  if (!computed.length) return;
  const stored = await deps.store.archive.nodes(computed);
  computed.forEach((n, i) => {
    tally.checked("integrity.nodes");
    const s = stored[i];
    if (s && bytesEqual(s, n.hash)) return;
    tally.fail("integrity.nodes", {
      table: "archive_nodes",
      level: n.level,
      index: n.index,
      field: "hash",
      code: s ? "NODE_MISMATCH" : "NODE_MISSING",
      message: s
        ? `node (${n.level}, ${n.index}) is ${toHex(s)}, recomputed ${toHex(n.hash)}`
        : `node (${n.level}, ${n.index}) is missing`,
    });
  });
}

function checkCheckpoint(
  deps: Pick<GatewayDeps, "archiveSigner">,
  cp: CheckpointRecord,
  root: Uint8Array,
  tally: AuditTally,
): void {
  tally.checked("integrity.checkpoint-roots");
  tally.checked("security.checkpoint-signatures");
  for (const p of checkpointProblems(deps.archiveSigner, cp, root)) {
    const item = p.field === "root_hex" ? "integrity.checkpoint-roots" : "security.checkpoint-signatures";
    tally.fail(item, { table: "checkpoints", size: cp.size, ...p });
  }
}

/** Sizes strictly increase with the time they were cut. */
function checkOrder(checkpoints: CheckpointRecord[], tally: AuditTally): void {
  checkpoints.forEach((cp, i) => {
    tally.checked("security.checkpoint-order");
    const prev = checkpoints[i - 1];
    if (prev && (prev.size === cp.size || prev.at > cp.at)) {
      tally.fail("security.checkpoint-order", {
        table: "checkpoints",
        size: cp.size,
        field: "at",
        code: "CHECKPOINT_ORDER",
        message: `checkpoint ${cp.size} (cut ${cp.at}) is not after checkpoint ${prev.size} (cut ${prev.at})`,
      });
    }
  });
}
