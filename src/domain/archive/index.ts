/**
 * The e-archive core: a generic RFC 9162 Merkle log (hasher injected), its append frontier, proofs and
 * their verification, and C2SP tlog-checkpoint / signed-note encodings. It knows nothing of transfers;
 * storage, signing keys and the gateway personality live outside the domain.
 */
export { fromBase64, fromHex, toBase64, toHex } from "../bytes.ts";
export { formatCheckpoint, parseCheckpoint, type Checkpoint } from "./checkpoint.ts";
export { CompactRange, type AppendResult } from "./compact-range.ts";
export { ArchiveError, type ArchiveErrorCode } from "./errors.ts";
export type { Digest, LogHasher } from "./hasher.ts";
export {
  assembleProof,
  consistencyPlan,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  planNodeIds,
  rootOfEntries,
  rootOfLeafHashes,
  treeRoot,
  type ProofStep,
} from "./merkle.ts";
export {
  ED25519_KEY_TYPE,
  computeKeyId,
  formatVerifierKey,
  isValidKeyName,
  parseVerifierKey,
  type VerifierKey,
} from "./note-key.ts";
export {
  MAX_NOTE_SIGNATURES,
  formatNote,
  openNote,
  parseNote,
  signNoteText,
  type NoteSignature,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  type ParsedNote,
} from "./signed-note.ts";
export { rangeNodes, type NodeId, type NodeReader, type StoredNode } from "./tree-shape.ts";
export { rootFromConsistencyProof, rootFromInclusionProof, verifyConsistency, verifyInclusion } from "./verify.ts";
