import Database from "better-sqlite3";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCalendar } from "../../src/domain/calendar/index.ts";
import { type CaseState, createCaseDecider } from "../../src/domain/transfer-case/index.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { configureSqlite, MIGRATIONS_FOLDER, migrateSqlite } from "../../src/storage/connection.ts";
import { createSqliteStore } from "../../src/storage/sqlite-store.ts";
import { documentRecord } from "./fixtures.ts";
import { instant, signerReport } from "./report-fixtures.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The migrations folder as it was before `tag` (the journal cut there). */
function migrationsBefore(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-migrations-"));
  dirs.push(dir);
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return dir;
}

/** An inbound document row of 330000 as the migrations before the one tested left the table: (id, sender, state). */
function documentInsert(sqlite: Database.Database) {
  return sqlite.prepare(
    `INSERT INTO documents (owner_agency, direction, document_id, type, case_id, from_agency, to_agency, canonical,
      seal, document_sha256, seal_sha256, recorded_at, state)
     VALUES ('330000', 'in', ?, 'contact-letter', 'case-1', ?, '330000', x'7b7d', x'30', 'a', 'b', 'x', ?)`,
  );
}

describe("0003_case_priority", () => {
  it("copies the green-channel flag of existing cases and gives boolean flags the reason shape", () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0003_case_priority"));
    const insert = sqlite.prepare(
      "INSERT INTO cases (agency_id, case_id, version, status, state, created_at, updated_at) VALUES ('330000', ?, 1, 'application-registered', ?, 'x', 'x')",
    );
    insert.run("green", JSON.stringify({ status: "application-registered", flags: { priority: true } }));
    insert.run("plain", JSON.stringify({ status: "application-registered", flags: { priority: false } }));
    insert.run("empty", JSON.stringify({ status: "empty" }));

    migrateSqlite(sqlite);
    const rows = sqlite.prepare("SELECT case_id, priority, state FROM cases ORDER BY case_id").all() as {
      case_id: string;
      priority: number;
      state: string;
    }[];
    const byId = Object.fromEntries(rows.map((r) => [r.case_id, { priority: r.priority, state: JSON.parse(r.state) }]));
    expect(byId.green).toEqual({
      priority: 1,
      state: { status: "application-registered", flags: { priority: { reasonCode: "OTHER" } } },
    });
    expect(byId.plain).toEqual({ priority: 0, state: { status: "application-registered", flags: { priority: null } } });
    expect(byId.empty).toEqual({ priority: 0, state: { status: "empty" } });
    sqlite.close();
  });
  it("leaves an open priority case's 5-WD deadline to the decider's upgrade: 15 WD from the same start, with the target", () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0003_case_priority"));
    // A transfer-out priority case as issue 10 stored it: letter received 2025-03-06, 5 WD → 03-13, no target.
    const deadline = { step: "record-and-funds", owedBy: "440000", startedOn: "2025-03-06", workingDays: 5 };
    const old = {
      status: "contact-letter-received",
      caseId: "old",
      view: "transfer-out",
      agencyId: "440000",
      counterpartId: "330000",
      flags: { priority: true, temporaryAccount: false, emergencyDeferred: false },
      emergencyWindows: [],
      documents: { "contact-letter": "CL-1" },
      openedAt: "2025-03-06T02:00:00.000Z",
      deadline: { ...deadline, due: "2025-03-13", calendarCoverage: "official", emergencyDeferred: false },
    };
    sqlite
      .prepare(
        "INSERT INTO cases (agency_id, case_id, version, status, state, created_at, updated_at) VALUES ('440000', 'old', 1, 'contact-letter-received', ?, 'x', 'x')",
      )
      .run(JSON.stringify(old));

    migrateSqlite(sqlite);
    const row = sqlite.prepare("SELECT priority, state FROM cases WHERE case_id = 'old'").get() as {
      priority: number;
      state: string;
    };
    const state = JSON.parse(row.state) as CaseState;
    expect(row.priority).toBe(1);
    expect(state).toMatchObject({ flags: { priority: { reasonCode: "OTHER" } }, deadline: { workingDays: 5 } });
    // 15 WD from 03-06: 07 (1), 10–14 (6), 17–21 (11), 24–27 (15); the target keeps 5 WD: 07, 10–13.
    expect(createCaseDecider({ calendar: createCalendar() }).upgrade(state)).toMatchObject({
      deadline: { ...deadline, workingDays: 15, due: "2025-03-27", target: { workingDays: 5, due: "2025-03-13" } },
    });
    sqlite.close();
  });
});

describe("0004_report_templates", () => {
  it("keeps documents stored with a whole report readable, and templates the ones written after it", async () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0004_report_templates"));
    const report = signerReport("浙江省社会保险和就业服务中心", instant(1), instant(2));
    sqlite
      .prepare(
        `INSERT INTO documents (owner_agency, direction, document_id, type, case_id, from_agency, to_agency, canonical,
          seal, document_sha256, seal_sha256, report, recorded_at, state)
         VALUES ('330000', 'in', 'old', 'contact-letter', 'case-1', '440000', '330000', x'7b7d', x'30', 'a', 'b', ?, 'x', 'received')`,
      )
      .run(JSON.stringify(report));

    migrateSqlite(sqlite);
    const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
    const later = signerReport("浙江省社会保险和就业服务中心", instant(3), instant(4));
    await store.commit({ newDocuments: [documentRecord({ documentId: "new", report: later })] });
    const key = { ownerAgency: "330000", direction: "in" as const, from: "440000" };
    expect(JSON.stringify((await store.getDocument({ ...key, documentId: "old" }))?.report)).toBe(
      JSON.stringify(report),
    );
    expect(JSON.stringify((await store.getDocument({ ...key, documentId: "new" }))?.report)).toBe(
      JSON.stringify(later),
    );
    expect(sqlite.prepare("SELECT count(*) FROM report_templates").pluck().get()).toBe(1);
    await store.close();
  });
});

describe("0005_case_lookups", () => {
  it("copies the person's ID number (upper-case) and the voucher id of existing cases", () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0005_case_lookups"));
    const insert = sqlite.prepare(
      "INSERT INTO cases (agency_id, case_id, version, status, state, created_at, updated_at) VALUES ('330000', ?, 1, 'application-registered', ?, 'x', 'x')",
    );
    const person = { name: "陈志强", idNumber: "33010619760815123x" };
    insert.run("with-voucher", JSON.stringify({ status: "application-registered", person, voucher: { id: "V-1" } }));
    insert.run("person-only", JSON.stringify({ status: "application-registered", person }));
    insert.run("empty", JSON.stringify({ status: "empty" }));

    migrateSqlite(sqlite);
    const rows = sqlite.prepare("SELECT case_id, person_id, voucher_id FROM cases ORDER BY case_id").raw().all();
    expect(rows).toEqual([
      ["empty", null, null],
      ["person-only", "33010619760815123X", null],
      ["with-voucher", "33010619760815123X", "V-1"],
    ]);
  });
});

describe("0006_blob_refs", () => {
  it("keeps earlier rows whole in their row, and fails closed on a row whose bytes are in a blob store", async () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0006_blob_refs"));
    const insert = documentInsert(sqlite);
    insert.run("old", "440000", "received");
    insert.run("away", "440000", "received");

    migrateSqlite(sqlite);
    // A row as a D1 store with R2 writes it (blob-store.ts): SQLite has no blob store to read it from.
    sqlite
      .prepare("UPDATE documents SET canonical = x'', canonical_blob = 'documents/a' WHERE document_id = 'away'")
      .run();
    const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
    const key = { ownerAgency: "330000", direction: "in" as const, from: "440000" };
    const old = await store.getDocument({ ...key, documentId: "old" });
    expect([...(old?.canonical ?? [])]).toEqual([0x7b, 0x7d]);
    await expect(store.getDocument({ ...key, documentId: "away" })).rejects.toMatchObject({
      code: "STORE_BLOB_MISSING",
    });
    await store.close();
  });
});

describe("0007_indexed_reads", () => {
  it("finds documents stored before it through the new indexes, and still refuses a second copy of one", async () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0007_indexed_reads"));
    const insert = documentInsert(sqlite);
    insert.run("waiting", "440000", "received");
    insert.run("answered", "440000", "acknowledged");
    insert.run("waiting", "510000", "received"); // the same id from another sender

    migrateSqlite(sqlite);
    const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
    expect((await store.inboundDocuments("330000", "waiting")).map((d) => d.from)).toEqual(["440000", "510000"]);
    expect((await store.pendingInbox("330000", 10)).map((d) => `${d.documentId}/${d.from}`)).toEqual([
      "waiting/440000",
      "waiting/510000",
    ]);
    await expect(
      store.commit({ newDocuments: [documentRecord({ documentId: "answered", from: "440000" })] }),
    ).rejects.toMatchObject({ code: "DUPLICATE_DOCUMENT" });
    await store.close();
  });
});

describe("0008_reminder_schedule", () => {
  it("leaves open cases stored before it unscheduled, for the reminder pass's sweep, and closed ones out", async () => {
    const sqlite = new Database(":memory:");
    configureSqlite(sqlite);
    migrateSqlite(sqlite, migrationsBefore("0008_reminder_schedule"));
    const insert = sqlite.prepare(
      "INSERT INTO cases (agency_id, case_id, version, status, state, created_at, updated_at) VALUES ('330000', ?, 2, ?, ?, 'x', 'x')",
    );
    const deadline = {
      step: "contact-letter",
      owedBy: "440000",
      startedOn: "2025-03-06",
      workingDays: 15,
      due: "2025-03-27",
    };
    insert.run("open-b", "contact-letter-sent", JSON.stringify({ status: "contact-letter-sent", deadline }));
    insert.run("open-a", "contact-letter-sent", JSON.stringify({ status: "contact-letter-sent", deadline }));
    insert.run("closed", "completed", JSON.stringify({ status: "completed" }));

    migrateSqlite(sqlite);
    const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
    const found = await store.unscheduledCases({ status: "contact-letter-sent", limit: 10 });
    expect(found.map((c) => [c.caseId, c.version])).toEqual([
      ["open-a", 2],
      ["open-b", 2],
    ]);
    expect(await store.unscheduledCases({ status: "completed", limit: 10 })).toHaveLength(1); // never asked by the pass
    expect(await store.casesToRemind({ dueBy: "2099-01-01T00:00:00.000Z", limit: 10 })).toEqual([]);
    await store.close();
  });
});
