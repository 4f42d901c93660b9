import type { AuditEvent, CaseRecord, DeliveryRecord, DocumentRecord } from "../usecases/ports.ts";
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

export function toDocumentRecord(row: Row<typeof documents>): DocumentRecord {
  const { fromAgency, toAgency, type, state, replyTo, report, receipt, businessReceiptId, ...rest } = row;
  return defined({
    ...rest,
    type: type as DocumentRecord["type"],
    from: fromAgency,
    to: toAgency,
    state: state as DocumentRecord["state"],
    replyTo: replyTo ?? undefined,
    report: report ?? undefined,
    receipt: receipt ?? undefined,
    businessReceiptId: businessReceiptId ?? undefined,
  });
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
