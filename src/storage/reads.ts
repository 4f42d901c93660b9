import { and, asc, desc, eq, gt, inArray, lte, ne, sql, type SQL } from "drizzle-orm";
import {
  type AuditEvent,
  type CaseQuery,
  type CaseRecord,
  type DeliveryRecord,
  DUE_STATES,
  type OutboundState,
} from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import type { SqliteDb } from "./connection.ts";
import { decodeCursor, encodeCursor, toAuditEvent, toCaseRecord, toDeliveryRecord } from "./rows.ts";
import { auditEvents, caseEvents, cases, deliveries, documents, reminders, tokens } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

/** A document's unique key (owner, direction, sender, id) as placeholders, for reads and updates alike. */
export function byDocumentKey(): SQL | undefined {
  return and(
    eq(documents.ownerAgency, p("ownerAgency")),
    eq(documents.direction, p("direction")),
    eq(documents.fromAgency, p("from")),
    eq(documents.documentId, p("documentId")),
  );
}

/**
 * Hot-path lookups, prepared once per connection (docs/references.md "Library pitfalls": ~7× the query
 * builder's rate).
 */
export function prepareReads(db: SqliteDb) {
  const caseKey = and(eq(cases.agencyId, p("agencyId")), eq(cases.caseId, p("caseId")));
  return {
    getCase: db.select().from(cases).where(caseKey).prepare(),
    caseEvents: db
      .select({ version: caseEvents.version, at: caseEvents.at, event: caseEvents.event })
      .from(caseEvents)
      .where(and(eq(caseEvents.agencyId, p("agencyId")), eq(caseEvents.caseId, p("caseId"))))
      .orderBy(asc(caseEvents.version))
      .prepare(),
    getDocument: db.select().from(documents).where(byDocumentKey()).prepare(),
    findDocuments: db
      .select()
      .from(documents)
      .where(and(eq(documents.fromAgency, p("from")), eq(documents.documentId, p("documentId"))))
      .orderBy(asc(documents.seq))
      .prepare(),
    findDocumentsById: db
      .select()
      .from(documents)
      .where(eq(documents.documentId, p("documentId")))
      .orderBy(asc(documents.seq))
      .prepare(),
    caseDocuments: db
      .select()
      .from(documents)
      .where(and(eq(documents.ownerAgency, p("agencyId")), eq(documents.caseId, p("caseId"))))
      .orderBy(asc(documents.seq))
      .prepare(),
    inbox: db
      .select()
      .from(documents)
      .where(
        and(
          eq(documents.ownerAgency, p("agencyId")),
          eq(documents.direction, "in"),
          gt(documents.seq, p("afterSeq")),
          // A voucher presented at registration came with the person, not from a peer: nothing to acknowledge.
          ne(documents.type, "contribution-voucher"),
        ),
      )
      .orderBy(asc(documents.seq))
      .limit(p("limit"))
      .prepare(),
    dueDeliveries: db
      .select()
      .from(deliveries)
      .where(and(inArray(deliveries.state, [...DUE_STATES]), lte(deliveries.nextAttemptAt, p("now"))))
      .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.createdAt), asc(deliveries.id))
      .limit(p("limit"))
      .prepare(),
    outboxDepth: db
      .select({ n: sql<number>`count(*)` })
      .from(deliveries)
      .where(inArray(deliveries.state, [...DUE_STATES, "sending"]))
      .prepare(),
    getDelivery: db
      .select()
      .from(deliveries)
      .where(eq(deliveries.id, p("id")))
      .prepare(),
    sentReminders: db
      .select()
      .from(reminders)
      .where(and(eq(reminders.agencyId, p("agencyId")), eq(reminders.caseId, p("caseId"))))
      .prepare(),
    tokenByHash: db
      .select()
      .from(tokens)
      .where(eq(tokens.tokenHash, p("hash")))
      .prepare(),
  };
}

export type Reads = ReturnType<typeof prepareReads>;

/**
 * Priority (green-channel) cases first, then newest first, in a total order (priority, created_at, agency_id,
 * case_id) so a keyset cursor never skips or repeats a row while cases are being added. A case's priority is
 * set when it opens and never changes, so the cursor stays valid across pages.
 */
export function listCasesPage(db: SqliteDb, query: CaseQuery): { cases: CaseRecord[]; next?: string } {
  const where: SQL[] = [];
  if (query.agencyId) where.push(eq(cases.agencyId, query.agencyId));
  if (query.status) where.push(eq(cases.status, query.status));
  if (query.priority !== undefined) where.push(eq(cases.priority, query.priority ? 1 : 0));
  if (query.after !== undefined) {
    const after = decodeCursor(query.after, 4);
    if (!after || (after[0] !== 0 && after[0] !== 1))
      throw new StoreError("INVALID_CURSOR", "the page cursor is not one this gateway issued");
    where.push(
      sql`(${cases.priority}, ${cases.createdAt}, ${cases.agencyId}, ${cases.caseId}) < (${after[0]}, ${after[1]}, ${after[2]}, ${after[3]})`,
    );
  }
  const rows = db
    .select()
    .from(cases)
    .where(and(...where))
    .orderBy(desc(cases.priority), desc(cases.createdAt), desc(cases.agencyId), desc(cases.caseId))
    .limit(query.limit + 1)
    .all();
  const last = rows.at(query.limit - 1);
  const page = rows.slice(0, query.limit).map(toCaseRecord);
  const next =
    rows.length > query.limit && last
      ? encodeCursor([last.priority, last.createdAt, last.agencyId, last.caseId])
      : undefined;
  return next ? { cases: page, next } : { cases: page };
}

/** Deliveries for the console, newest first. */
export function listDeliveries(
  db: SqliteDb,
  query: { ownerAgency?: string; state?: OutboundState; limit: number },
): DeliveryRecord[] {
  const where: SQL[] = [];
  if (query.ownerAgency) where.push(eq(deliveries.ownerAgency, query.ownerAgency));
  if (query.state) where.push(eq(deliveries.state, query.state));
  const rows = db
    .select()
    .from(deliveries)
    .where(and(...where))
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(query.limit)
    .all();
  return rows.map(toDeliveryRecord);
}

/** Audit trail, newest first. */
export function listAuditEvents(
  db: SqliteDb,
  query: { agencyId?: string; kind?: string; limit: number },
): AuditEvent[] {
  const where: SQL[] = [];
  if (query.agencyId) where.push(eq(auditEvents.agencyId, query.agencyId));
  if (query.kind) where.push(eq(auditEvents.kind, query.kind));
  return db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(query.limit)
    .all()
    .map(toAuditEvent);
}
