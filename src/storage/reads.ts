import { and, asc, desc, eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import {
  type AuditEvent,
  type CaseQuery,
  type CaseRecord,
  type DeliveryRecord,
  type DocumentKey,
  type DocumentRecord,
  DUE_STATES,
  type OutboundState,
  type StoredCaseEvent,
} from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import type { SqliteDb } from "./connection.ts";
import { prepareTemplateReads } from "./report-template.ts";
import {
  decodeCursor,
  DOCUMENT_COLUMNS,
  type DocumentRow,
  encodeCursor,
  toAuditEvent,
  toCaseRecord,
  toDeliveryRecord,
  toDocumentRecord,
} from "./rows.ts";
import { auditEvents, cases, deliveries, reminders, tokens } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

type CaseRow = [string, string, number, string, string, string];

function toCase(row: CaseRow): CaseRecord {
  return {
    agencyId: row[0],
    caseId: row[1],
    version: row[2],
    state: JSON.parse(row[3]),
    createdAt: row[4],
    updatedAt: row[5],
  };
}

/**
 * Hot-path lookups, prepared once per connection (docs/references.md "Library pitfalls": ~7× the query
 * builder's rate). The case and document reads are plain better-sqlite3 statements: the receive path runs
 * them for every document, and drizzle's prepared queries map every column of every row through its
 * decoders on top (issue 12). Each returns records, ready for the port.
 */
export function prepareReads(db: SqliteDb) {
  const prepare = (text: string) => db.$client.prepare(text);
  const templates = prepareTemplateReads(db);
  const documentsWhere = (where: string) => {
    const statement = prepare(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE ${where}`).raw();
    return (...params: unknown[]) =>
      (statement.all(...params) as DocumentRow[]).map((row) => toDocumentRecord(row, templates));
  };
  const getCase = prepare(
    "SELECT agency_id, case_id, version, state, created_at, updated_at FROM cases WHERE agency_id = ? AND case_id = ?",
  ).raw();
  const findCases = (where: string) => {
    const statement = prepare(
      `SELECT agency_id, case_id, version, state, created_at, updated_at FROM cases WHERE ${where} ORDER BY created_at, agency_id LIMIT 20`,
    ).raw();
    return (key: string) => (statement.all(key) as CaseRow[]).map(toCase);
  };
  const caseEvents = prepare(
    "SELECT version, at, event FROM case_events WHERE agency_id = ? AND case_id = ? ORDER BY version",
  ).raw();
  const getDocument = prepare(
    `SELECT ${DOCUMENT_COLUMNS} FROM documents
     WHERE owner_agency = ? AND direction = ? AND from_agency = ? AND document_id = ?`,
  ).raw();
  return {
    getCase(agencyId: string, caseId: string): CaseRecord | undefined {
      const row = getCase.get(agencyId, caseId) as CaseRow | undefined;
      return row && toCase(row);
    },
    casesByCaseId: findCases("case_id = ?"),
    casesByVoucherId: findCases("voucher_id = ?"),
    caseEvents(agencyId: string, caseId: string): StoredCaseEvent[] {
      const rows = caseEvents.all(agencyId, caseId) as [number, string, string][];
      return rows.map(([version, at, event]) => ({ version, at, event: JSON.parse(event) }));
    },
    getDocument(key: DocumentKey): DocumentRecord | undefined {
      const row = getDocument.get(key.ownerAgency, key.direction, key.from, key.documentId) as DocumentRow | undefined;
      return row && toDocumentRecord(row, templates);
    },
    findDocuments: documentsWhere("from_agency = ? AND document_id = ? ORDER BY seq"),
    findDocumentsById: documentsWhere("document_id = ? ORDER BY seq"),
    caseDocuments: documentsWhere("owner_agency = ? AND case_id = ? ORDER BY seq"),
    documentsBySha256: documentsWhere("document_sha256 = ? ORDER BY seq"),
    // A voucher presented at registration came with the person, not from a peer: nothing to acknowledge.
    inbox: documentsWhere(
      "owner_agency = ? AND direction = 'in' AND seq > ? AND type <> 'contribution-voucher' ORDER BY seq LIMIT ?",
    ),
    // The console's inbox (issue 13): case documents still waiting for this agency's business receipt.
    pendingInbox: documentsWhere(
      `owner_agency = ? AND direction = 'in' AND state = 'received'
       AND type NOT IN ('contribution-voucher', 'receipt', 'business-receipt') ORDER BY seq LIMIT ?`,
    ),
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
  if (query.idNumber !== undefined) where.push(eq(cases.personId, query.idNumber.toUpperCase()));
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
  query: { ownerAgency?: string; state?: OutboundState; documentIds?: string[]; limit: number },
): DeliveryRecord[] {
  const where: SQL[] = [];
  if (query.ownerAgency) where.push(eq(deliveries.ownerAgency, query.ownerAgency));
  if (query.documentIds) where.push(inArray(deliveries.documentId, query.documentIds));
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
