import canonicalize from "canonicalize";
import { sealedDocumentBytes } from "../canonical.ts";
import type { ArchiveEntryInput, DocumentRecord } from "../ports.ts";

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

export function documentEntry(record: DocumentRecord): ArchiveEntryInput {
  const meta: ArchiveMeta = {
    jiexuArchive: 1,
    kind: "document",
    ownerAgency: record.ownerAgency,
    direction: record.direction,
    caseId: record.caseId,
    documentId: record.documentId,
    type: record.type,
    from: record.from,
    to: record.to,
    recordedAt: record.recordedAt,
    documentSha256: record.documentSha256,
    sealSha256: record.sealSha256,
  };
  return entry(meta, sealedDocumentBytes(record.canonical, record.seal));
}

/** A transport receipt for `record`: issued by this gateway (inbound) or returned by the peer (outbound). */
export function receiptEntry(record: DocumentRecord, receiptJson: string, recordedAt: string): ArchiveEntryInput {
  const meta: ArchiveMeta = {
    jiexuArchive: 1,
    kind: "receipt",
    ownerAgency: record.ownerAgency,
    direction: record.direction,
    caseId: record.caseId,
    documentId: record.documentId,
    type: "receipt",
    from: record.to,
    to: record.from,
    recordedAt,
    documentSha256: record.documentSha256,
    sealSha256: record.sealSha256,
  };
  return entry(meta, new TextEncoder().encode(receiptJson));
}

function entry(meta: ArchiveMeta, sealed: Uint8Array): ArchiveEntryInput {
  const head = new TextEncoder().encode(`{"meta":${canonicalize(meta)},"sealed":`);
  const bytes = new Uint8Array(head.length + sealed.length + 1);
  bytes.set(head);
  bytes.set(sealed, head.length);
  bytes[bytes.length - 1] = 0x7d; // "}"
  return {
    kind: meta.kind,
    ownerAgency: meta.ownerAgency,
    caseId: meta.caseId,
    documentId: meta.documentId,
    recordedAt: meta.recordedAt,
    entry: bytes,
  };
}
