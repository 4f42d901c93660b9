import type { AuditEvent, CaseRecord, DeliveryRecord, DocumentRecord } from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import type { TemplateReads } from "./report-template.ts";
import type { auditEvents, cases, deliveries } from "./schema.ts";

/** Row → record mapping: SQL NULL becomes an absent property, never `null`, as the port's types say. */

type Row<T extends { $inferSelect: unknown }> = T["$inferSelect"];

function defined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[])
    if (record[key] === null || record[key] === undefined) delete record[key];
  return record;
}

export function toCaseRecord(row: Row<typeof cases>): CaseRecord {
  const { agencyId, caseId, version, state, createdAt, updatedAt } = row;
  return { agencyId, caseId, version, state, createdAt, updatedAt };
}

/**
 * The documents columns the document reads select, in the order of {@link DocumentRow}: the statements run
 * in raw mode (arrays), which better-sqlite3 builds faster than objects with named keys (~10 µs a row here).
 */
export const DOCUMENT_COLUMNS = `seq, owner_agency, direction, document_id, type, case_id, from_agency, to_agency,
  reply_to, canonical, seal, document_sha256, seal_sha256, report, report_template, report_validation_time,
  report_signing_time, recorded_at, state, receipt, business_receipt_id, canonical_blob, seal_blob`;

/** A documents row as better-sqlite3 returns DOCUMENT_COLUMNS in raw mode (blobs as Buffers, which are Uint8Arrays). */
export type DocumentRow = [
  seq: number,
  ownerAgency: string,
  direction: "in" | "out",
  documentId: string,
  type: string,
  caseId: string,
  fromAgency: string,
  toAgency: string,
  replyTo: string | null,
  canonical: Uint8Array,
  seal: Uint8Array,
  documentSha256: string,
  sealSha256: string,
  report: string | null,
  reportTemplate: number | null,
  reportValidationTime: string | null,
  reportSigningTime: string | null,
  recordedAt: string,
  state: string,
  receipt: string | null,
  businessReceiptId: string | null,
  /** Blob store keys of bytes kept out of the row (D1 with R2, blob-store.ts); the store's reads hydrate them. */
  canonicalBlob: string | null,
  sealBlob: string | null,
];

/**
 * A plain Uint8Array view of a driver blob, so nothing Node-only (Buffer) leaks above the storage layer:
 * better-sqlite3 hands back a Buffer, D1 an ArrayBuffer or an array of numbers.
 */
export function bytesOf(blob: Uint8Array | ArrayBuffer | ArrayLike<number>): Uint8Array {
  if (blob instanceof Uint8Array) return new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
  if (blob instanceof ArrayBuffer) return new Uint8Array(blob);
  return Uint8Array.from(blob);
}

/** Row → record, the report rebuilt by `templates` (whole, or from its shared template). */
export function toDocumentRecord(row: DocumentRow, templates: TemplateReads): DocumentRecord {
  const [seq, ownerAgency, direction, documentId, type, caseId, from, to, replyTo, canonical, seal, ...rest] = row;
  const [documentSha256, sealSha256, report, template, validationTime, signingTime, ...tail] = rest;
  const [recordedAt, state, receipt, businessReceiptId, canonicalBlob, sealBlob] = tail;
  // Fail closed: a row whose bytes are elsewhere is never answered with its empty columns.
  const away = canonicalBlob ?? sealBlob;
  if (away)
    throw new StoreError("STORE_BLOB_MISSING", `document ${documentId}: ${away} was not read from the blob store`);
  // Same property order as the records this store has always returned (seq … recordedAt, then the rest).
  const record: DocumentRecord = {
    seq,
    ownerAgency,
    direction,
    documentId,
    caseId,
    canonical: bytesOf(canonical),
    seal: bytesOf(seal),
    documentSha256,
    sealSha256,
    recordedAt,
    type: type as DocumentRecord["type"],
    from,
    to,
    state: state as DocumentRecord["state"],
  };
  if (replyTo !== null) record.replyTo = replyTo;
  // Parsed here, eagerly: a lazy accessor per record costs V8 a hidden class of its own (~90 µs a record).
  const parsed = templates.reportOf(report, template, validationTime, signingTime);
  if (parsed !== undefined) record.report = parsed;
  if (receipt !== null) record.receipt = receipt;
  if (businessReceiptId !== null) record.businessReceiptId = businessReceiptId;
  return record;
}

export function toDeliveryRecord(row: Row<typeof deliveries>): DeliveryRecord {
  const { state, documentId, payload, lastError, ...rest } = row;
  return defined({
    ...rest,
    state: state as DeliveryRecord["state"],
    documentId: documentId ?? undefined,
    payload: payload ?? undefined,
    lastError: lastError ?? undefined,
  });
}

export function toAuditEvent(row: Row<typeof auditEvents>): AuditEvent {
  const { id: _id, agencyId, caseId, documentId, requestId, detail, ...rest } = row;
  return defined({
    ...rest,
    agencyId: agencyId ?? undefined,
    caseId: caseId ?? undefined,
    documentId: documentId ?? undefined,
    requestId: requestId ?? undefined,
    detail: detail ?? undefined,
  });
}

/** Opaque, URL-safe page cursor: base64url of a JSON tuple (no Buffer: storage also runs on Workers). */
export function encodeCursor(values: (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The tuple in a cursor, or undefined when it is not one of ours (cursors are client input). */
export function decodeCursor(cursor: string, arity: number): (string | number)[] | undefined {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const values: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    const ok =
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === "string" || typeof v === "number");
    return ok ? (values as (string | number)[]) : undefined;
  } catch {
    return undefined;
  }
}
