import { sql } from "drizzle-orm";
import type {
  AuditEvent,
  CaseQuery,
  CaseRecord,
  DeliveryRecord,
  DocumentKey,
  DocumentRecord,
  OutboundState,
  RemindableCase,
  ReminderReads,
  StoredCaseEvent,
} from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";
import {
  auditQuery,
  casesPageOf,
  casesPageQuery,
  deliveriesQuery,
  deliveryById,
  dueDeliveries,
  outboxDepth,
  sentReminders,
  tokenByHash,
} from "./queries.ts";
import {
  type CaseRow,
  type DocumentQuery,
  READ_SQL,
  type RemindableRow,
  remindArgs,
  toCase,
  toRemindable,
  unscheduledArgs,
} from "./read-sql.ts";
import { prepareTemplateReads } from "./report-template.ts";
import { type DocumentRow, toAuditEvent, toDeliveryRecord, toDocumentRecord } from "./rows.ts";

const p = (name: string) => sql.placeholder(name);

/**
 * Hot-path lookups, prepared once per connection. The case and document reads are plain better-sqlite3
 * statements (read-sql.ts): the receive path runs them for every document, and drizzle's prepared queries
 * map every column of every row through its decoders on top (issue 12). Each returns records, ready for the port.
 */
export function prepareReads(db: SqliteDb) {
  const prepare = (text: string) => db.$client.prepare(text);
  const templates = prepareTemplateReads(db);
  const documentsWhere = (query: DocumentQuery) => {
    const statement = prepare(READ_SQL[query]).raw();
    return (...params: unknown[]) =>
      (statement.all(...params) as DocumentRow[]).map((row) => toDocumentRecord(row, templates));
  };
  const getCase = prepare(READ_SQL.getCase).raw();
  const findCases = (query: "casesByCaseId" | "casesByVoucherId") => {
    const statement = prepare(READ_SQL[query]).raw();
    return (key: string) => (statement.all(key) as CaseRow[]).map(toCase);
  };
  const caseEvents = prepare(READ_SQL.caseEvents).raw();
  const getDocument = prepare(READ_SQL.getDocument).raw();
  const casesToRemind = prepare(READ_SQL.casesToRemind).raw();
  const unscheduledCases = prepare(READ_SQL.unscheduledCases).raw();
  return {
    getCase(agencyId: string, caseId: string): CaseRecord | undefined {
      const row = getCase.get(agencyId, caseId) as CaseRow | undefined;
      return row && toCase(row);
    },
    casesByCaseId: findCases("casesByCaseId"),
    casesByVoucherId: findCases("casesByVoucherId"),
    caseEvents(agencyId: string, caseId: string): StoredCaseEvent[] {
      const rows = caseEvents.all(agencyId, caseId) as [number, string, string][];
      return rows.map(([version, at, event]) => ({ version, at, event: JSON.parse(event) }));
    },
    getDocument(key: DocumentKey): DocumentRecord | undefined {
      const row = getDocument.get(key.ownerAgency, key.direction, key.from, key.documentId) as DocumentRow | undefined;
      return row && toDocumentRecord(row, templates);
    },
    casesToRemind(query: Parameters<ReminderReads["casesToRemind"]>[0]): RemindableCase[] {
      return (casesToRemind.all(...remindArgs(query)) as RemindableRow[]).map(toRemindable);
    },
    unscheduledCases(query: Parameters<ReminderReads["unscheduledCases"]>[0]): CaseRecord[] {
      return (unscheduledCases.all(...unscheduledArgs(query)) as CaseRow[]).map(toCase);
    },
    inboundDocuments: documentsWhere("inboundDocuments"),
    caseDocuments: documentsWhere("caseDocuments"),
    documentsBySha256: documentsWhere("documentsBySha256"),
    inbox: documentsWhere("inbox"),
    pendingInbox: documentsWhere("pendingInbox"),
    dueDeliveries: dueDeliveries(db, p("now"), p("limit")).prepare(),
    outboxDepth: outboxDepth(db).prepare(),
    getDelivery: deliveryById(db, p("id")).prepare(),
    sentReminders: sentReminders(db, p("agencyId"), p("caseId")).prepare(),
    tokenByHash: tokenByHash(db, p("hash")).prepare(),
  };
}

export type Reads = ReturnType<typeof prepareReads>;

/** A page of cases (queries.ts casesPageQuery: priority first, newest first, keyset cursor). */
export function listCasesPage(db: SqliteDb, query: CaseQuery): { cases: CaseRecord[]; next?: string } {
  return casesPageOf(casesPageQuery(db, query).all(), query);
}

/** Deliveries for the console, newest first. */
export function listDeliveries(
  db: SqliteDb,
  query: { ownerAgency?: string; state?: OutboundState; documentIds?: string[]; limit: number },
): DeliveryRecord[] {
  return deliveriesQuery(db, query).all().map(toDeliveryRecord);
}

/** Audit trail, newest first. */
export function listAuditEvents(
  db: SqliteDb,
  query: { agencyId?: string; kind?: string; limit: number },
): AuditEvent[] {
  return auditQuery(db, query).all().map(toAuditEvent);
}
