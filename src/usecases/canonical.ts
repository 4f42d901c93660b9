import { bytesEqual, utf8 } from "../domain/bytes.ts";
import type { Document, DocumentType } from "../domain/documents/index.ts";
import { base64ToBytes, bytesToBase64, sha256Hex } from "../pki/index.ts";
import { canonicalJson } from "./jcs.ts";
import type { DocumentRecord } from "./records.ts";

const encoder = new TextEncoder();

/** RFC 8785 (JCS) text of a JSON value; its UTF-8 bytes are what a seal covers (docs/contracts.md "Canonical bytes"). */
export function canonicalText(value: unknown): string {
  const text = canonicalJson(value);
  if (text === undefined) throw new TypeError("value has no JSON form");
  return text;
}

/** RFC 8785 (JCS) UTF-8 bytes of a JSON value: what a seal covers (docs/contracts.md "Canonical bytes"). */
export function canonicalBytes(value: unknown): Uint8Array {
  return encoder.encode(canonicalText(value));
}

export { sha256Hex } from "../pki/index.ts";

/**
 * Digest equality in time independent of where the strings differ (engineering standard: constant-time
 * digest comparison): `bytesEqual` over the hex text; lengths are public (every digest here is 64 hex characters).
 */
export function sameDigest(a: string, b: string): boolean {
  return bytesEqual(utf8(a), utf8(b));
}

/** The envelope fields a record of a sent document copies. */
interface Envelope {
  id: string;
  type: DocumentType;
  caseId: string;
  from: string;
  to: string;
  replyTo?: string;
}

/**
 * The record of a document this gateway sealed for one of its agencies (a submission, a business receipt, an
 * issued voucher): its bytes and digests, filed under the envelope's case unless `caseId` says otherwise.
 */
export function sentRecord(
  document: Envelope,
  sealed: { canonical: Uint8Array; seal: Uint8Array },
  fields: Pick<DocumentRecord, "state" | "recordedAt" | "report"> & { caseId?: string },
): DocumentRecord {
  const { caseId, report, ...rest } = fields;
  return {
    ownerAgency: document.from,
    direction: "out",
    documentId: document.id,
    type: document.type,
    caseId: caseId ?? document.caseId,
    from: document.from,
    to: document.to,
    ...(document.replyTo ? { replyTo: document.replyTo } : {}),
    canonical: sealed.canonical,
    seal: sealed.seal,
    documentSha256: sha256Hex(sealed.canonical),
    sealSha256: sha256Hex(sealed.seal),
    ...(report ? { report } : {}),
    ...rest,
  };
}

const decoder = new TextDecoder();

/** A stored record's document, parsed back from its canonical bytes (what the seal covers). */
export function documentOf<T = Document>(record: Pick<DocumentRecord, "canonical">): T {
  return JSON.parse(decoder.decode(record.canonical)) as T;
}

/** A stored record as sealed-document JSON values: the document and its seal in base64. */
export function sealedOf(record: Pick<DocumentRecord, "canonical" | "seal">): { document: Document; seal: string } {
  return { document: documentOf(record), seal: bytesToBase64(record.seal) };
}

/** Serialise a sealed document exactly the same way every time, so a resend carries the same bytes. */
export function sealedDocumentBytes(canonical: Uint8Array, seal: Uint8Array): Uint8Array {
  // Joined as bytes: the canonical bytes are already UTF-8 and base64 is ASCII, so decoding the document
  // to re-encode it (the writer and every archive read do this per entry) would copy it twice for nothing.
  const tail = encoder.encode(`,"seal":"${bytesToBase64(seal)}"}`);
  const bytes = new Uint8Array(DOCUMENT_HEAD.length + canonical.length + tail.length);
  bytes.set(DOCUMENT_HEAD);
  bytes.set(canonical, DOCUMENT_HEAD.length);
  bytes.set(tail, DOCUMENT_HEAD.length + canonical.length);
  return bytes;
}

const DOCUMENT_HEAD = encoder.encode('{"document":');

/** The text of sealedDocumentBytes, from the canonical text itself (no bytes-to-text round trip). */
export function sealedDocumentText(canonicalText: string, seal: Uint8Array): string {
  return `{"document":${canonicalText},"seal":"${bytesToBase64(seal)}"}`;
}

export function decodeSeal(base64: string): Uint8Array {
  return base64ToBytes(base64);
}

/** RFC 3339 in Asia/Shanghai (+08:00, no DST since 1991): how agencies read times on documents. */
export function shanghaiTimestamp(at: Date): string {
  const local = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${local}+08:00`;
}
