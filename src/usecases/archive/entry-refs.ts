import { sealedDocumentBytes } from "../canonical.ts";
import type { DocumentKey } from "../ports.ts";
import { joinEntry } from "./entries.ts";

/**
 * Archive leaves stored by reference (issue 12 item 1). A document or receipt entry is
 * `{"meta":…,"sealed":<bytes>}` whose sealed bytes the documents row already holds (canonical + seal, or
 * the receipt text), so the store keeps only the head `{"meta":…,"sealed":` — its meta names the row:
 * owner, direction, sender, document id — and every read rebuilds the whole entry from the row. A head
 * is recognisable as such: a whole entry ends in "}", a head in `,"sealed":` (a JSON string cannot hold
 * that unescaped, and the meta has no "sealed" key). The leaf hash stays the hash of the whole entry,
 * so a documents row changed since no longer rebuilds the leaf the log committed to: the audit's leaf
 * hash check flags it.
 */
export interface SealedRow {
  /** A document entry's sealed bytes are these two (canonical document, DER seal)… */
  canonical?: Uint8Array;
  seal?: Uint8Array;
  /** …a receipt entry's this text. */
  receipt?: string | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEAD_START = '{"meta":';
const HEAD_END = encoder.encode(',"sealed":');

/** Whether stored entry bytes are a head only (the rest lives in the documents row). */
export function isEntryHead(bytes: Uint8Array): boolean {
  return endsWith(bytes, bytes.length) && decoder.decode(bytes.subarray(0, HEAD_START.length)) === HEAD_START;
}

/** The documents row a head refers to (for a receipt: the row of the document it acknowledges). */
export function referencedKey(head: Uint8Array): { kind: "document" | "receipt"; key: DocumentKey } | undefined {
  const text = decoder.decode(head);
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(text.slice(HEAD_START.length, text.length - HEAD_END.length));
  } catch {
    return undefined;
  }
  const { kind, ownerAgency, direction, documentId } = meta;
  // A receipt's meta names its issuer as `from`: the document's sender is its `to`.
  const from = kind === "receipt" ? meta.to : meta.from;
  if ((kind !== "document" && kind !== "receipt") || (direction !== "in" && direction !== "out")) return undefined;
  if (typeof ownerAgency !== "string" || typeof documentId !== "string" || typeof from !== "string") return undefined;
  return { kind, key: { ownerAgency, direction, from, documentId } };
}

/** The sealed bytes of a `kind` entry the row holds, if it holds them. */
export function sealedOfRow(kind: "document" | "receipt", row: SealedRow): Uint8Array | undefined {
  if (kind === "document") return row.canonical && row.seal && sealedDocumentBytes(row.canonical, row.seal);
  return typeof row.receipt === "string" ? encoder.encode(row.receipt) : undefined;
}

/**
 * The whole entry a stored head stands for, from its documents row. Without the row (or its receipt) the
 * head itself comes back: not an entry, and not the leaf's hash — the audit reports it unreadable.
 */
export function rebuildEntry(head: Uint8Array, row: SealedRow | undefined): Uint8Array {
  const ref = referencedKey(head);
  const sealed = ref && row && sealedOfRow(ref.kind, row);
  return sealed ? joinEntry(head, sealed) : head;
}

/**
 * The head of a whole `kind` entry when the row holds exactly its sealed bytes (what a store may keep
 * instead of the entry), undefined otherwise.
 */
export function headIfReferenced(entry: Uint8Array, row: SealedRow): Uint8Array | undefined {
  const length = headLength(entry);
  const ref = length === undefined ? undefined : referencedKey(entry.subarray(0, length));
  const sealed = ref && sealedOfRow(ref.kind, row);
  if (!sealed || length! + sealed.length + 1 !== entry.length || entry[entry.length - 1] !== 0x7d) return undefined;
  for (let i = 0; i < sealed.length; i++) if (entry[length! + i] !== sealed[i]) return undefined;
  return entry.slice(0, length);
}

/** Where the sealed bytes of a whole entry start: just after the first `,"sealed":` (the meta cannot hold one). */
export function headLength(entry: Uint8Array): number | undefined {
  for (let end = HEAD_START.length + HEAD_END.length; end <= entry.length; end++)
    if (entry[end - 1] === 0x3a && endsWith(entry, end)) return end;
  return undefined;
}

function endsWith(bytes: Uint8Array, end: number): boolean {
  if (end < HEAD_END.length) return false;
  for (let i = 0; i < HEAD_END.length; i++) if (bytes[end - HEAD_END.length + i] !== HEAD_END[i]) return false;
  return true;
}
