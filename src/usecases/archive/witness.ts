import { ArchiveError, formatNote, parseCheckpoint, parseNote, toHex } from "../../domain/archive/index.ts";
import { parseVerifierKey, verifyNote } from "../../pki/index.ts";
import { cutCheckpoint } from "./log.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { ArchiveReads, Committer, PeerCheckpointRecord } from "../ports.ts";
import { witnessGuardOf } from "./witness-guard.ts";

/**
 * Cross-witnessing of tree heads (issue 6 item 2): gateways hand each other their latest signed
 * checkpoint; the witness checks the origin's signature, refuses a second root for a size it has
 * already seen (a split view, recorded as a security event), keeps the checkpoint, and answers with
 * the note co-signed by its own key — so either side can later prove the other saw that tree head.
 *
 * Whose signature counts is the directory's word alone (issue 9 item 2): an offer is verified only
 * with the keys the signed directory pins for a peer gateway's origin at this moment, never with a key
 * the caller brings, so nobody can co-sign a tree head under a peer's name, plant an equivocation
 * event or fill the table; unknown origins and unpinned keys are refused (403) before anything is
 * written, and the route is rate-limited (witness-guard.ts).
 */
export interface WitnessResult {
  cosigned: string;
  witnessKey: string;
}

export interface WitnessOffer {
  note: string;
  /** The offerer's verifier key (compatibility): when given, it must be one the directory pins. */
  vkey?: string;
}

const ORIGIN_SHOWN = 128;

/** What witnessing touches: our log and signer, the keys the directory pins, the audit trail. */
type WitnessDeps = Pick<GatewayDeps, "archiveSigner" | "clock" | "logger" | "peerLogs"> & {
  store: ArchiveReads & Committer;
};

export async function witnessCheckpoint(
  deps: WitnessDeps,
  offer: WitnessOffer,
  requestId?: string,
  guard = witnessGuardOf(deps),
): Promise<WitnessResult> {
  const signer = deps.archiveSigner;
  if (!signer) throw new GatewayError("NOT_FOUND", "this gateway has no archive signing key to co-sign with");
  const context = { requestId, audit: true } as const;
  const claimed = claimedCheckpoint(offer.note);
  if (!claimed)
    return guard.refuse("REQUEST_INVALID", "not a C2SP checkpoint in a signed note", { ...context, audit: false });
  const { origin, size, rootHex } = claimed;
  const shown = origin.slice(0, ORIGIN_SHOWN);
  // Our own origin is no peer's: nobody else may have our tree heads co-signed here.
  const keys = origin === signer.origin ? undefined : deps.peerLogs?.pinnedKeys(origin, deps.clock.now());
  if (!keys)
    return guard.refuse("WITNESS_ORIGIN_UNKNOWN", `no peer gateway's log is listed with origin ${shown}`, {
      ...context,
      origin,
    });
  if (offer.vkey !== undefined && !keys.includes(offer.vkey)) {
    return guard.refuse("WITNESS_KEY_UNPINNED", `the key offered is not one the directory pins for ${shown}`, {
      ...context,
      origin,
    });
  }
  const note = pinnedSignaturesOnly(offer.note, keys);
  if (!note)
    return guard.refuse(
      "WITNESS_KEY_UNPINNED",
      `the checkpoint of ${shown} is not signed by a key the directory pins for it`,
      { ...context, origin },
    );
  guard.admitSigned(origin);
  await keepPeerCheckpoint(deps, { origin, size, rootHex, note }, requestId);
  return { cosigned: cosign(note, signer.sign(parseNote(note).text)), witnessKey: signer.verifierKey };
}

/** The checkpoint the note claims, nothing verified yet; undefined when it is not one. */
function claimedCheckpoint(note: string): { origin: string; size: number; rootHex: string } | undefined {
  try {
    const checkpoint = parseCheckpoint(parseNote(note).text);
    return { origin: checkpoint.origin, size: checkpoint.size, rootHex: toHex(checkpoint.root) };
  } catch (err) {
    if (err instanceof ArchiveError) return undefined;
    throw err;
  }
}

/**
 * The note with only its signatures by pinned keys, or undefined when no pinned key signed it (a pinned
 * key's bad signature counts as none). Other lines are dropped: what is kept and co-signed here is
 * exactly what the directory vouches for.
 */
function pinnedSignaturesOnly(note: string, keys: string[]): string | undefined {
  try {
    if (verifyNote(note, keys).verifiedBy.length === 0) return undefined;
  } catch (err) {
    if (err instanceof ArchiveError) return undefined;
    throw err;
  }
  const pinned = new Set(keys.map((k) => parseVerifierKey(k)).map((k) => `${k.name} ${toHex(k.keyId)}`));
  const { text, signatures } = parseNote(note);
  return formatNote(
    text,
    signatures.filter((s) => pinned.has(`${s.name} ${toHex(s.keyId)}`)),
  );
}

/** Keep a verified tree head; a second root for a size already seen is a split view, refused. */
async function keepPeerCheckpoint(
  deps: WitnessDeps,
  offered: Omit<PeerCheckpointRecord, "receivedAt">,
  requestId?: string,
): Promise<void> {
  const { origin, size, rootHex } = offered;
  const now = deps.clock.now().toISOString();
  const seen = (await deps.store.archive.peerCheckpoints(origin)).find((c) => c.size === size);
  if (seen && seen.rootHex !== rootHex) {
    await deps.store.commit({
      audit: [
        {
          at: now,
          kind: "security.checkpoint-equivocation",
          ...(requestId ? { requestId } : {}),
          detail: { origin, size, seen: seen.rootHex, offered: rootHex },
        },
      ],
    });
    deps.logger.warn("security.checkpoint-equivocation", { origin, size });
    throw new GatewayError("DOCUMENT_CONFLICT", `${origin} already presented a different root for size ${size}`);
  }
  if (!seen)
    await deps.store.commit({
      peerCheckpoint: { ...offered, receivedAt: now },
      audit: [{ at: now, kind: "archive.witnessed", detail: { origin, size, rootHex } }],
    });
}

/** The note with the witness's signature line added (C2SP signed-note allows any number of signers). */
function cosign(note: string, witnessNote: string): string {
  const original = parseNote(note);
  const lines = [...original.signatures, ...parseNote(witnessNote).signatures];
  const unique = lines.filter(
    (sig, i) => lines.findIndex((o) => o.name === sig.name && toHex(o.keyId) === toHex(sig.keyId)) === i,
  );
  return formatNote(original.text, unique);
}

/** Peers' tree heads this gateway has witnessed. */
export async function witnessedCheckpoints(
  deps: { store: ArchiveReads },
  origin?: string,
): Promise<PeerCheckpointRecord[]> {
  return deps.store.archive.peerCheckpoints(origin);
}

/**
 * Offer our current checkpoint to every peer gateway and keep their co-signatures on our checkpoint
 * record. `peers` posts `{ note, vkey }` to a peer's /v1/archive/witness (a runtime adapter). A
 * co-signature is kept only when it verifies with a key the directory pins for the witness's origin.
 */
export async function exchangeCheckpoints(
  deps: WitnessDeps,
  peers: { urls(): string[]; offer(url: string, note: string, vkey: string): Promise<WitnessResult | undefined> },
): Promise<number> {
  const signer = deps.archiveSigner;
  if (!signer) return 0;
  // Peers verify only with the keys the directory pins for us: unlisted, an offer would only be refused.
  if (!deps.peerLogs?.pinnedKeys(signer.origin, deps.clock.now())?.includes(signer.verifierKey)) {
    deps.logger.warn("archive.witness-unlisted", {
      origin: signer.origin,
      message: "the directory pins no checkpoint key of ours: not offering",
    });
    return 0;
  }
  const ours = await cutCheckpoint(deps);
  let note = ours.note;
  let witnessed = 0;
  for (const url of peers.urls()) {
    try {
      const answer = await peers.offer(url, ours.note, signer.verifierKey);
      if (!answer) continue;
      note = cosign(note, witnessSignature(deps, ours.note, answer));
      witnessed++;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      deps.logger.warn("archive.witness-failed", {
        url,
        ...(typeof code === "string" ? { code } : {}),
        message: (err as Error).message,
      });
    }
  }
  if (witnessed) await deps.store.commit({ checkpointNotes: [{ size: ours.size, note }] });
  return witnessed;
}

/** The witness's own signature over our text, as a one-signature note; throws when it is not pinned or not valid. */
function witnessSignature(deps: Pick<GatewayDeps, "clock" | "peerLogs">, ours: string, answer: WitnessResult): string {
  const key = parseVerifierKey(answer.witnessKey);
  if (!deps.peerLogs?.pinnedKeys(key.name, deps.clock.now())?.includes(answer.witnessKey)) {
    throw new GatewayError("WITNESS_KEY_UNPINNED", `the witness key of ${key.name} is not pinned by the directory`);
  }
  const text = parseNote(ours).text;
  if (parseNote(answer.cosigned).text !== text)
    throw new GatewayError("REQUEST_INVALID", `${key.name} co-signed another text`);
  verifyNote(answer.cosigned, [answer.witnessKey]);
  const own = parseNote(answer.cosigned).signatures.filter(
    (s) => s.name === key.name && toHex(s.keyId) === toHex(key.keyId),
  );
  return formatNote(text, own);
}
