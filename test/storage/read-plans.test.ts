import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import * as archive from "../../src/storage/archive-queries.ts";
import { migrateSqlite, openDrizzle } from "../../src/storage/connection.ts";
import * as queries from "../../src/storage/queries.ts";
import { READ_SQL } from "../../src/storage/read-sql.ts";

/**
 * How SQLite runs every read the gateway makes, on the migrated schema (D1 runs the same migrations and texts).
 * A gateway keeps years of documents, cases and deliveries: a read that walks a whole table, or a whole
 * agency's history, to answer one page grows slower with every transfer. So each read names the index it must
 * go through, and none may scan a table that grows with traffic. The planner has no statistics here (no
 * ANALYZE, as on a fresh gateway or D1), which is exactly when it chose badly before migration 0007.
 */
const sqlite = new Database(":memory:");
migrateSqlite(sqlite);
const db = openDrizzle(sqlite) as unknown as queries.AnyDb;
afterAll(() => sqlite.close());

/** The plan's lines, e.g. "SEARCH documents USING INDEX documents_key (owner_agency=? AND …)". */
function planOf(sql: string, params: unknown[]): string[] {
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(params as never[])) as { detail: string }[];
  return rows.map((r) => r.detail);
}
const planOfText = (sql: string) => planOf(sql, Array((sql.match(/\?/g) ?? []).length).fill("x"));
const planOfBuilt = (built: { toSQL(): { sql: string; params: unknown[] } }) => {
  const { sql, params } = built.toSQL();
  return planOf(sql, params);
};

const GROWING = ["documents", "cases", "case_events", "deliveries", "archive_leaves", "archive_nodes", "reminders"];
/** A full scan of a growing table through no index at all: "SCAN documents". */
const fullScans = (plan: string[]) => plan.filter((line) => GROWING.some((t) => line === `SCAN ${t}`));

describe("the reads' query plans on the migrated schema", () => {
  const text: Record<keyof typeof READ_SQL, string | undefined> = {
    getCase: "sqlite_autoindex_cases_1",
    casesByCaseId: "cases_case_id",
    casesByVoucherId: "cases_voucher",
    caseEvents: "sqlite_autoindex_case_events_1",
    getDocument: "documents_key",
    inboundDocuments: "documents_key",
    caseDocuments: "documents_case",
    documentsBySha256: "documents_sha256",
    inbox: "documents_inbox",
    pendingInbox: "documents_pending",
    casesToRemind: "cases_remind_at",
    unscheduledCases: "cases_unscheduled",
    templateById: undefined, // the integer primary key
  };

  it.each(Object.entries(text))("%s goes through %s", (name, index) => {
    const plan = planOfText(READ_SQL[name as keyof typeof READ_SQL]);
    expect(fullScans(plan)).toEqual([]);
    if (index) expect(plan[0]).toMatch(new RegExp(`^SEARCH \\w+ USING (COVERING )?INDEX ${index} \\(`));
  });

  it("an acknowledgement by document id alone uses the id's column of the key, not the agency's whole inbox", () => {
    expect(planOfText(READ_SQL.inboundDocuments)[0]).toContain("document_id=?");
  });

  const AGENCY = "330000";
  const built: [string, () => { toSQL(): { sql: string; params: unknown[] } }, string][] = [
    [
      "an agency's cases",
      () => queries.casesPageQuery(db, { agencyId: AGENCY, limit: 50 }),
      "cases_agency_priority_created",
    ],
    [
      "a person's cases at an agency (the console's search)",
      () => queries.casesPageQuery(db, { agencyId: AGENCY, idNumber: "33010619760815123X", limit: 50 }),
      "cases_person",
    ],
    ["every case (compliance, admin)", () => queries.casesPageQuery(db, { limit: 50 }), "cases_priority_created"],
    [
      "cases in a state",
      () => queries.casesPageQuery(db, { status: "completed", limit: 50 }),
      "cases_status_priority_created",
    ],
    [
      "an agency's deliveries",
      () => queries.deliveriesQuery(db, { ownerAgency: AGENCY, limit: 50 }),
      "deliveries_owner",
    ],
    [
      "an agency's failed deliveries (the console's troubles)",
      () => queries.deliveriesQuery(db, { ownerAgency: AGENCY, state: "failed", limit: 200 }),
      "deliveries_owner_state",
    ],
    [
      "a case's deliveries (its documents' ids)",
      () => queries.deliveriesQuery(db, { ownerAgency: AGENCY, documentIds: ["a", "b"], limit: 500 }),
      "deliveries_document",
    ],
    ["deliveries due", () => queries.dueDeliveries(db, "2026-12-02T00:00:00Z", 50), "deliveries_due"],
    ["the outbox's depth", () => queries.outboxDepth(db), "deliveries_due"],
    ["an agency's audit trail", () => queries.auditQuery(db, { agencyId: AGENCY, limit: 50 }), "audit_agency"],
    ["a case's latest index leaf", () => archive.lastCaseIndex(db, AGENCY, "case-1"), "archive_leaves_case"],
    ["a case's items after it", () => archive.caseItemsAfter(db, AGENCY, "case-1", 0), "archive_leaves_case"],
    ["a leaf by its hash", () => archive.leafByHash(db, new Uint8Array(32)), "archive_leaves_hash"],
  ];

  it.each(built)("%s goes through %s", (_, query, index) => {
    const plan = planOfBuilt(query());
    expect(fullScans(plan)).toEqual([]);
    expect(plan.join(" | ")).toMatch(new RegExp(`USING (COVERING )?INDEX ${index}\\b`));
  });
});
