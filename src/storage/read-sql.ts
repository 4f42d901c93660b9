import type { CaseRecord, RemindableCase, RemindCursor } from "../usecases/ports.ts";
import { DOCUMENT_COLUMNS } from "./rows.ts";

/**
 * The hot-path reads as plain SQL text, shared by both adapters: better-sqlite3 prepares them once in raw
 * mode (reads.ts; ~7× the query builder's rate, docs/references.md "Library pitfalls"), D1 binds the same
 * texts and asks for raw rows (d1-reads.ts). Rows come back as arrays in the order selected.
 */
const CASE_SELECT = "SELECT agency_id, case_id, version, state, created_at, updated_at FROM cases";
const DOCUMENT_SELECT = `SELECT ${DOCUMENT_COLUMNS} FROM documents`;
const findCases = (where: string) => `${CASE_SELECT} WHERE ${where} ORDER BY created_at, agency_id LIMIT 20`;

export const READ_SQL = {
  getCase: `${CASE_SELECT} WHERE agency_id = ? AND case_id = ?`,
  casesByCaseId: findCases("case_id = ?"),
  casesByVoucherId: findCases("voucher_id = ?"),
  caseEvents: "SELECT version, at, event FROM case_events WHERE agency_id = ? AND case_id = ? ORDER BY version",
  getDocument: `${DOCUMENT_SELECT} WHERE owner_agency = ? AND direction = ? AND from_agency = ? AND document_id = ?`,
  // documents_key (owner, direction, id, sender): the id alone is enough to find an agency's inbound copies.
  // INDEXED BY where the planner, knowing nothing of the data (no ANALYZE), would rather walk the agency's whole
  // inbound history in seq order than sort a handful of rows (test/storage/read-plans.test.ts).
  inboundDocuments: `${DOCUMENT_SELECT} INDEXED BY documents_key
     WHERE owner_agency = ? AND direction = 'in' AND document_id = ? ORDER BY seq`,
  caseDocuments: `${DOCUMENT_SELECT} WHERE owner_agency = ? AND case_id = ? ORDER BY seq`,
  documentsBySha256: `${DOCUMENT_SELECT} WHERE document_sha256 = ? ORDER BY seq`,
  // A voucher presented at registration came with the person, not from a peer: nothing to acknowledge.
  inbox: `${DOCUMENT_SELECT} WHERE owner_agency = ? AND direction = 'in' AND seq > ? AND type <> 'contribution-voucher' ORDER BY seq LIMIT ?`,
  // The console's inbox (issue 13): case documents still waiting for this agency's business receipt.
  // documents_pending holds exactly the rows these two terms select (a partial index), in seq order.
  pendingInbox: `${DOCUMENT_SELECT} INDEXED BY documents_pending
     WHERE owner_agency = ? AND direction = 'in' AND state = 'received'
     AND type NOT IN ('contribution-voucher', 'receipt', 'business-receipt') ORDER BY seq LIMIT ?`,
  templateById: "SELECT template FROM report_templates WHERE id = ?",
  // The reminder pass's page (cases_remind_at holds exactly the open cases, in the order they fall due). The
  // first page starts after ('', '', ''): every instant sorts after the empty string.
  casesToRemind: `SELECT agency_id, case_id, version, state, created_at, updated_at, remind_at FROM cases
     INDEXED BY cases_remind_at WHERE remind_at IS NOT NULL AND remind_at <= ? AND (remind_at, agency_id, case_id) > (?, ?, ?)
     ORDER BY remind_at, agency_id, case_id LIMIT ?`,
  // cases_unscheduled holds the closed cases and the open ones without a look; the pass asks per open status.
  unscheduledCases: `${CASE_SELECT} INDEXED BY cases_unscheduled
     WHERE status = ? AND remind_at IS NULL AND (agency_id, case_id) > (?, ?) ORDER BY agency_id, case_id LIMIT ?`,
} as const;

/** The READ_SQL statements that return documents rows (DOCUMENT_COLUMNS). */
export type DocumentQuery = "inboundDocuments" | "caseDocuments" | "documentsBySha256" | "inbox" | "pendingInbox";

export type CaseRow = [string, string, number, string, string, string];
export type RemindableRow = [...CaseRow, string];

/** The casesToRemind arguments, the first page after the empty key. */
export function remindArgs(query: { dueBy: string; after?: RemindCursor; limit: number }): unknown[] {
  const { remindAt = "", agencyId = "", caseId = "" } = query.after ?? {};
  return [query.dueBy, remindAt, agencyId, caseId, query.limit];
}

/** The unscheduledCases arguments, the first page after the empty key. */
export function unscheduledArgs(query: {
  status: string;
  after?: { agencyId: string; caseId: string };
  limit: number;
}) {
  return [query.status, query.after?.agencyId ?? "", query.after?.caseId ?? "", query.limit];
}

export function toRemindable(row: RemindableRow): RemindableCase {
  return Object.assign(toCase(row as unknown as CaseRow), { remindAt: row[6] });
}

export function toCase(row: CaseRow): CaseRecord {
  return {
    agencyId: row[0],
    caseId: row[1],
    version: row[2],
    state: JSON.parse(row[3]),
    createdAt: row[4],
    updatedAt: row[5],
  };
}
