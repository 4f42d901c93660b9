import type { AuditEvent, CaseRecord, DeliveryRecord, DocumentRecord } from "../usecases/ports.ts";
import type { StoredReport, TemplateReads } from "./report-template.ts";
import type { auditEvents, cases, deliveries, documents } from "./schema.ts";

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

/** The documents columns the document reads select, aliased to the names of {@link DocumentRow}. */
export const DOCUMENT_COLUMNS = `seq, owner_agency AS ownerAgency, direction, document_id AS documentId, type,
  case_id AS caseId, from_agency AS fromAgency, to_agency AS toAgency, reply_to AS replyTo, canonical, seal,
  document_sha256 AS documentSha256, seal_sha256 AS sealSha256, report, report_template AS reportTemplate,
  report_validation_time AS reportValidationTime, report_signing_time AS reportSigningTime,
  recorded_at AS recordedAt, state, receipt, business_receipt_id AS businessReceiptId`;

/** A documents row as better-sqlite3 returns DOCUMENT_COLUMNS (blobs as Buffers, which are Uint8Arrays). */
export type DocumentRow = Omit<Row<typeof documents>, "report"> & StoredReport;

/** A plain Uint8Array view of a driver blob, so nothing Node-only (Buffer) leaks above the storage layer. */
function bytesOf(blob: Uint8Array): Uint8Array {
  return new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength);
}

/**
 * `report` as an enumerable property that parses the ~4 KB report on first read and then holds it as a plain
 * value: most reads (the case's documents for business rules, the inbox, idempotency) never look at it.
 * Spreading, JSON, structured clone and deep equality read it like any other property.
 */
function defineLazyReport(record: DocumentRecord, row: StoredReport, templates: TemplateReads): void {
  const settle = (value: DocumentRecord["report"]) =>
    Object.defineProperty(record, "report", { value, enumerable: true, writable: true, configurable: true });
  Object.defineProperty(record, "report", {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = templates.reportOf(row);
      settle(value);
      return value;
    },
    set: settle,
  });
}

/** Row → record, the report rebuilt by `templates` (whole, or from its shared template). */
export function toDocumentRecord(row: DocumentRow, templates: TemplateReads): DocumentRecord {
  const record: DocumentRecord = {
    seq: row.seq,
    ownerAgency: row.ownerAgency,
    direction: row.direction,
    documentId: row.documentId,
    caseId: row.caseId,
    canonical: bytesOf(row.canonical),
    seal: bytesOf(row.seal),
    documentSha256: row.documentSha256,
    sealSha256: row.sealSha256,
    recordedAt: row.recordedAt,
    type: row.type as DocumentRecord["type"],
    from: row.fromAgency,
    to: row.toAgency,
    state: row.state as DocumentRecord["state"],
  };
  if (row.replyTo !== null) record.replyTo = row.replyTo;
  if (row.report !== null || row.reportTemplate !== null) defineLazyReport(record, row, templates);
  if (row.receipt !== null) record.receipt = row.receipt;
  if (row.businessReceiptId !== null) record.businessReceiptId = row.businessReceiptId;
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
