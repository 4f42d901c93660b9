import { CodedError } from "../errors.ts";

/**
 * Why an archive proof, checkpoint, note or key was refused. Tests assert codes, never messages.
 * - `ARCHIVE_PROOF_INVALID`: a proof has the wrong shape or does not lead to the claimed root (RFC 9162 §2.1.3.2, §2.1.4.2).
 * - `ARCHIVE_INDEX_OUT_OF_RANGE`: an index or size is negative, not an integer, ≥ the tree size, or a first size > second size.
 * - `ARCHIVE_NODE_MISSING`: the node store did not hold a complete subtree hash the tree shape requires.
 * - `ARCHIVE_CHECKPOINT_MALFORMED`: the note text is not a C2SP tlog-checkpoint body.
 * - `ARCHIVE_NOTE_MALFORMED`: the text is not a C2SP signed note.
 * - `ARCHIVE_NOTE_UNVERIFIED`: no known key signed the note.
 * - `ARCHIVE_SIGNATURE_INVALID`: a known key's signature over the note does not verify.
 * - `ARCHIVE_KEY_MALFORMED` / `ARCHIVE_KEY_UNSUPPORTED` / `ARCHIVE_KEY_AMBIGUOUS`: a verifier key is unusable.
 */
export type ArchiveErrorCode =
  | "ARCHIVE_PROOF_INVALID"
  | "ARCHIVE_INDEX_OUT_OF_RANGE"
  | "ARCHIVE_NODE_MISSING"
  | "ARCHIVE_CHECKPOINT_MALFORMED"
  | "ARCHIVE_NOTE_MALFORMED"
  | "ARCHIVE_NOTE_UNVERIFIED"
  | "ARCHIVE_SIGNATURE_INVALID"
  | "ARCHIVE_KEY_MALFORMED"
  | "ARCHIVE_KEY_UNSUPPORTED"
  | "ARCHIVE_KEY_AMBIGUOUS";

/** Coded error of the archive core; `details` carries hex roots on a mismatch. */
export class ArchiveError extends CodedError<ArchiveErrorCode> {}
