/** Archive: the append-only log and its entries, checkpoints and proofs, cross-witnessing, and its audit. */
export { auditArchive, runAudit, type AuditReport } from "./audit.ts";
export { type ArchiveHead, type CheckpointProblem, verifyArchiveHead } from "./checkpoint-check.ts";
export {
  documentEntry,
  documentLeaf,
  isObject,
  readArchiveEntry,
  receiptEntry,
  receiptLeaf,
  splitEntry,
  type ArchiveMeta,
  type ReadEntry,
} from "./entries.ts";
export {
  headIfReferenced,
  headLength,
  isEntryHead,
  rebuildEntry,
  referencedKey,
  type SealedRow,
} from "./entry-refs.ts";
export { consistencyProofFor, cutCheckpoint, inclusionProofFor, readEntry, rootAt } from "./log.ts";
export { DEFAULT_WITNESS_LIMITS, RateLimitedError } from "./witness-guard.ts";
export { exchangeCheckpoints, witnessCheckpoint, witnessedCheckpoints, type WitnessResult } from "./witness.ts";
