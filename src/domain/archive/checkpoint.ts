import { fromBase64, toBase64 } from "../bytes.ts";
import { ArchiveError } from "./errors.ts";

/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint) note text: the origin line, the tree size in ASCII
 * decimal without leading zeroes, the base64 RFC 6962 root hash, then optional non-empty extension lines,
 * each line ending in U+000A. The signature block around it is C2SP signed-note (`signed-note.ts`).
 */
export interface Checkpoint {
  /** Unique identity of the log, e.g. `jiexu.example.gov.cn/archive` (non-empty, SHOULD have no spaces or `+`). */
  readonly origin: string;
  /** Number of leaves in the tree. */
  readonly size: number;
  /** RFC 9162 §2.1.1 MTH of the tree at `size`. */
  readonly root: Uint8Array;
  /** Opaque extension lines (NOT RECOMMENDED by the spec: monitors cannot audit them). */
  readonly extensions?: readonly string[];
}

const SIZE = /^(?:0|[1-9][0-9]{0,15})$/;
// Signed-note text is UTF-8 without ASCII control characters other than newline.
const CONTROL = /[\u0000-\u001f]/;

/** c2sp.org/tlog-checkpoint "Note text": encodes a checkpoint body (ends in a newline). */
export function formatCheckpoint(checkpoint: Checkpoint): string {
  const { origin, size, root, extensions = [] } = checkpoint;
  for (const line of [origin, ...extensions]) {
    if (line === "" || CONTROL.test(line)) throw malformed("origin and extension lines must be non-empty single lines");
  }
  if (!Number.isSafeInteger(size) || size < 0)
    throw malformed(`tree size ${String(size)} is not an integer in [0, 2^53)`);
  if (!(root instanceof Uint8Array) || root.length === 0) throw malformed("root hash is missing");
  return [origin, String(size), toBase64(root), ...extensions].map((line) => `${line}\n`).join("");
}

/**
 * c2sp.org/tlog-checkpoint "Note text": parses a checkpoint body (the text of a verified note),
 * refusing anything not exactly in the format, with ARCHIVE_CHECKPOINT_MALFORMED.
 */
export function parseCheckpoint(text: string, hashSize = 32): Checkpoint {
  if (typeof text !== "string" || !text.endsWith("\n")) throw malformed("checkpoint text must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined)
    throw malformed("checkpoint needs origin, size and root lines");
  if (lines.some((line) => line === "" || CONTROL.test(line)))
    throw malformed("checkpoint lines must be non-empty, without control characters");
  if (!SIZE.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine)))
    throw malformed(`tree size line '${sizeLine}' is not a canonical decimal`);
  const root = fromBase64(rootLine);
  if (root === undefined || root.length !== hashSize)
    throw malformed(`root line is not the base64 of a ${hashSize}-byte hash`);
  return { origin, size: Number(sizeLine), root, extensions };
}

function malformed(message: string): ArchiveError {
  return new ArchiveError("ARCHIVE_CHECKPOINT_MALFORMED", message);
}
