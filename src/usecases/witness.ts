import { ArchiveError, formatNote, parseCheckpoint, parseNote, toHex } from "../domain/archive/index.ts";
import { parseVerifierKey, verifyNote } from "../pki/note-signer.ts";
import { cutCheckpoint } from "./archive.ts";
import type { GatewayDeps } from "./deps.ts";
import { GatewayError } from "./errors.ts";
import type { PeerCheckpointRecord } from "./ports.ts";

/**
 * Cross-witnessing of tree heads (issue 6 item 2): gateways hand each other their latest signed
 * checkpoint; the witness checks the origin's signature, refuses a second root for a size it has
 * already seen (a split view, recorded as a security event), keeps the checkpoint, and answers with
 * the note co-signed by its own key — so either side can later prove the other saw that tree head.
 */
export interface WitnessResult {
  cosigned: string;
  witnessKey: string;
}

export async function witnessCheckpoint(deps: GatewayDeps, note: string, originKey: string, requestId?: string): Promise<WitnessResult> {
  const signer = deps.archiveSigner;
  if (!signer) throw new GatewayError("NOT_FOUND", "this gateway has no archive signing key to co-sign with");
  const { origin, size, rootHex } = openPeerCheckpoint(note, originKey);
  const now = deps.clock.now().toISOString();
  const seen = (await deps.store.archive.peerCheckpoints(origin)).find((c) => c.size === size);
  if (seen && seen.rootHex !== rootHex) {
    await deps.store.commit({ audit: [{ at: now, kind: "security.checkpoint-equivocation", ...(requestId ? { requestId } : {}), detail: { origin, size, seen: seen.rootHex, offered: rootHex } }] });
    deps.logger.warn("security.checkpoint-equivocation", { origin, size });
    throw new GatewayError("DOCUMENT_CONFLICT", `${origin} already presented a different root for size ${size}`);
  }
  const record: PeerCheckpointRecord = { origin, size, rootHex, note, receivedAt: now };
  if (!seen) await deps.store.commit({ peerCheckpoint: record, audit: [{ at: now, kind: "archive.witnessed", detail: { origin, size, rootHex } }] });
  return { cosigned: cosign(note, signer.sign(parseNote(note).text)), witnessKey: signer.verifierKey };
}

/** Verify a peer's note with its own verifier key; the key name must be the checkpoint's origin. */
function openPeerCheckpoint(note: string, originKey: string): { origin: string; size: number; rootHex: string } {
  try {
    const key = parseVerifierKey(originKey);
    const opened = verifyNote(note, [originKey]);
    const checkpoint = parseCheckpoint(opened.text);
    if (checkpoint.origin !== key.name) throw new GatewayError("REQUEST_INVALID", `the key ${key.name} does not name the checkpoint's origin ${checkpoint.origin}`);
    return { origin: checkpoint.origin, size: checkpoint.size, rootHex: toHex(checkpoint.root) };
  } catch (err) {
    if (err instanceof ArchiveError) throw new GatewayError("REQUEST_INVALID", `not a checkpoint signed by that key: ${err.code}`);
    throw err;
  }
}

/** The note with the witness's signature line added (C2SP signed-note allows any number of signers). */
function cosign(note: string, witnessNote: string): string {
  const original = parseNote(note);
  const lines = [...original.signatures, ...parseNote(witnessNote).signatures];
  const unique = lines.filter((sig, i) => lines.findIndex((o) => o.name === sig.name && toHex(o.keyId) === toHex(sig.keyId)) === i);
  return formatNote(original.text, unique);
}

/** Peers' tree heads this gateway has witnessed. */
export async function witnessedCheckpoints(deps: GatewayDeps, origin?: string): Promise<PeerCheckpointRecord[]> {
  return deps.store.archive.peerCheckpoints(origin);
}

/**
 * Offer our current checkpoint to every peer gateway and keep their co-signatures on our checkpoint
 * record. `peers` posts `{ note, vkey }` to a peer's /v1/archive/witness (a runtime adapter).
 */
export async function exchangeCheckpoints(
  deps: GatewayDeps, peers: { urls(): string[]; offer(url: string, note: string, vkey: string): Promise<WitnessResult | undefined> },
): Promise<number> {
  const signer = deps.archiveSigner;
  if (!signer) return 0;
  const ours = await cutCheckpoint(deps);
  let note = ours.note;
  let witnessed = 0;
  for (const url of peers.urls()) {
    try {
      const answer = await peers.offer(url, ours.note, signer.verifierKey);
      if (!answer) continue;
      verifyNote(answer.cosigned, [answer.witnessKey, signer.verifierKey]);
      if (parseNote(answer.cosigned).text !== parseNote(ours.note).text) continue;
      note = cosign(note, answer.cosigned);
      witnessed++;
    } catch (err) {
      deps.logger.warn("archive.witness-failed", { url, message: (err as Error).message });
    }
  }
  if (witnessed) await deps.store.commit({ checkpointNotes: [{ size: ours.size, note }] });
  return witnessed;
}
