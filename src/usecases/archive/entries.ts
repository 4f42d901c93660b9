import canonicalize from "canonicalize";
import { canonicalJson } from "../jcs.ts";
import { sealedDocumentBytes } from "../canonical.ts";
import type { ArchiveEntryInput, ArchiveRef, DocumentRecord } from "../ports.ts";

/**
 * The canonical archive record of a sealed document or receipt (issue 6 item 1): `{"meta":…,"sealed":…}`
 * where `sealed` is the exact `{document, seal}` as exchanged. Built by concatenation yet RFC 8785
 * canonical by construction: "meta" sorts before "sealed", the meta object goes through JCS, and
 * `sealedDocumentBytes` is already JCS (canonical document bytes, base64 needs no escaping) — so an
 * offline verifier can check `JCS(JSON.parse(entry)) === entry`.
 */
export interface ArchiveMeta {
  jiexuArchive: 1;
  kind: "document" | "receipt";
  ownerAgency: string;
  direction: "in" | "out";
  caseId: string;
  /** For a document its own id; for a receipt the id of the document it acknowledges. */
  documentId: string;
  type: string;
  from: string;
  to: string;
  recordedAt: string;
  documentSha256: string;
  sealSha256: string;
}

/** The change's `newDocuments[newDocument]` archived as a document leaf (the store builds its entry). */
export function documentLeaf(newDocument = 0): ArchiveRef {
  return { kind: "document", newDocument };
}

/** The transport receipt `newDocuments[newDocument]` carries, archived as a receipt leaf at its `recordedAt`. */
export function receiptLeaf(newDocument = 0): ArchiveRef {
  return { kind: "receipt", newDocument };
}

export function documentEntry(record: DocumentRecord): ArchiveEntryInput {
  return splitEntry("document", record).input;
}

/** A transport receipt for `record`: issued by this gateway (inbound) or returned by the peer (outbound). */
export function receiptEntry(record: DocumentRecord, receiptJson: string, recordedAt: string): ArchiveEntryInput {
  return splitEntry("receipt", record, receiptJson, recordedAt).input;
}

/**
 * The entry of `record` (its document, or a receipt for it: by default the one the record carries), and
 * the length of its head `{"meta":…,"sealed":` — what the store keeps of it when the documents row
 * holds the rest (entry-refs.ts).
 */
export function splitEntry(
  kind: "document" | "receipt",
  record: DocumentRecord,
  receiptJson = record.receipt,
  recordedAt = record.recordedAt,
): { input: ArchiveEntryInput; headLength: number } {
  if (kind === "document") return entry(metaOf(record, "document"), sealedDocumentBytes(record.canonical, record.seal));
  if (receiptJson === undefined) throw new Error(`document ${record.documentId} has no receipt to archive`);
  return entry(metaOf(record, "receipt", recordedAt), encoder.encode(receiptJson));
}

/** A document leaf describes the record as sent; a receipt leaf the receipt, which travels the other way. */
function metaOf(record: DocumentRecord, kind: ArchiveMeta["kind"], recordedAt = record.recordedAt): ArchiveMeta {
  const receipt = kind === "receipt";
  // Members in RFC 8785 order, so canonicalJson writes the object as it is instead of a sorted copy (the
  // writer builds two of these per received document; the text is the same either way).
  return {
    caseId: record.caseId,
    direction: record.direction,
    documentId: record.documentId,
    documentSha256: record.documentSha256,
    from: receipt ? record.to : record.from,
    jiexuArchive: 1,
    kind,
    ownerAgency: record.ownerAgency,
    recordedAt,
    sealSha256: record.sealSha256,
    to: receipt ? record.from : record.to,
    type: receipt ? "receipt" : record.type,
  };
}

const encoder = new TextEncoder();

function entry(meta: ArchiveMeta, sealed: Uint8Array): { input: ArchiveEntryInput; headLength: number } {
  const head = encoder.encode(`{"meta":${canonicalJson(meta)},"sealed":`);
  const input = {
    kind: meta.kind,
    ownerAgency: meta.ownerAgency,
    caseId: meta.caseId,
    documentId: meta.documentId,
    recordedAt: meta.recordedAt,
    entry: joinEntry(head, sealed),
  };
  return { input, headLength: head.length };
}

/** `head` + `sealed` + "}": the whole entry, from its head (see entry-refs.ts) and its sealed bytes. */
export function joinEntry(head: Uint8Array, sealed: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(head.length + sealed.length + 1);
  bytes.set(head);
  bytes.set(sealed, head.length);
  bytes[bytes.length - 1] = 0x7d; // "}"
  return bytes;
}

/** An archive entry read back, as far as its shape goes: `{meta: {…}, sealed: {document, seal: "<base64>"}}`. */
export interface ReadEntry {
  meta: Record<string, unknown>;
  sealed: Record<string, unknown> & { seal: string };
}

/**
 * The one reader of archive entries (the audit, the pack verifier, the export): UTF-8 JSON of the
 * shape above, and whether it is RFC 8785 canonical. A failure says why, after "is" in a message.
 */
export function readArchiveEntry(
  bytes: Uint8Array,
):
  | { ok: true; entry: ReadEntry; canonical: boolean }
  | { ok: false; code: "ENTRY_UNREADABLE" | "ENTRY_SHAPE"; reason: string } {
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: "ENTRY_UNREADABLE", reason: `not UTF-8 JSON: ${(err as Error).message}` };
  }
  if (!isObject(value) || !isObject(value.meta) || !isObject(value.sealed) || typeof value.sealed.seal !== "string")
    return { ok: false, code: "ENTRY_SHAPE", reason: "not {meta, sealed: {document, seal}}" };
  return { ok: true, entry: value as unknown as ReadEntry, canonical: canonicalize(value) === text };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
