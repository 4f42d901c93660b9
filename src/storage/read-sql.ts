import type { CaseRecord } from "../usecases/ports.ts";
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
  findDocuments: `${DOCUMENT_SELECT} WHERE from_agency = ? AND document_id = ? ORDER BY seq`,
  findDocumentsById: `${DOCUMENT_SELECT} WHERE document_id = ? ORDER BY seq`,
  caseDocuments: `${DOCUMENT_SELECT} WHERE owner_agency = ? AND case_id = ? ORDER BY seq`,
  documentsBySha256: `${DOCUMENT_SELECT} WHERE document_sha256 = ? ORDER BY seq`,
  // A voucher presented at registration came with the person, not from a peer: nothing to acknowledge.
  inbox: `${DOCUMENT_SELECT} WHERE owner_agency = ? AND direction = 'in' AND seq > ? AND type <> 'contribution-voucher' ORDER BY seq LIMIT ?`,
  // The console's inbox (issue 13): case documents still waiting for this agency's business receipt.
  pendingInbox: `${DOCUMENT_SELECT} WHERE owner_agency = ? AND direction = 'in' AND state = 'received'
     AND type NOT IN ('contribution-voucher', 'receipt', 'business-receipt') ORDER BY seq LIMIT ?`,
  templateById: "SELECT template FROM report_templates WHERE id = ?",
} as const;

/** The READ_SQL statements that return documents rows (DOCUMENT_COLUMNS). */
export type DocumentQuery =
  | "findDocuments"
  | "findDocumentsById"
  | "caseDocuments"
  | "documentsBySha256"
  | "inbox"
  | "pendingInbox";

export type CaseRow = [string, string, number, string, string, string];

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
