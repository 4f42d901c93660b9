import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/storage/sqlite-store.ts";
import { StoreError } from "../../src/usecases/store-error.ts";
import type { VerificationReport } from "../../src/pki/report.ts";
import { caseEvent, caseState, deliveryRecord, documentRecord, ingestChange, openTempStore } from "./fixtures.ts";

let store: SqliteStore;
let dispose: () => Promise<void>;
let path: string;

beforeEach(() => {
  ({ store, dispose, path } = openTempStore());
});
afterEach(async () => dispose());

const report = {
  indication: "TOTAL_PASSED",
  checks: [{ id: "seal.digest", status: "PASSED", detail: "ok" }],
} as unknown as VerificationReport;

describe("SqliteStore round trips", () => {
  it("stores a case snapshot with its events in version order", async () => {
    await store.commit(ingestChange("case-1", "doc-1"));
    const at = "2026-03-03T09:00:00.000Z";
    const events = [caseEvent("case-1", "InsuranceRecordReceived"), caseEvent("case-1", "FundTransferReceived")];
    await store.commit({
      caseWrite: {
        agencyId: "330000",
        caseId: "case-1",
        expectedVersion: 1,
        state: caseState("case-1", "awaiting-completion"),
        events,
        at,
      },
    });

    const record = await store.getCase("330000", "case-1");
    expect(record).toMatchObject({ version: 3, createdAt: "2026-03-02T08:00:00.000Z", updatedAt: at });
    expect(record?.state).toEqual(caseState("case-1", "awaiting-completion"));
    expect((await store.caseEvents("330000", "case-1")).map((e) => [e.version, e.event.type])).toEqual([
      [1, "ApplicationRegistered"],
      [2, "InsuranceRecordReceived"],
      [3, "FundTransferReceived"],
    ]);
    expect(await store.getCase("330000", "missing")).toBeUndefined();
  });

  it("returns documents with bytes, report and optional fields intact", async () => {
    const doc = documentRecord({ replyTo: "doc-0", report, receipt: '{"document":{}}' });
    const { documentSeqs } = await store.commit({ newDocuments: [doc, documentRecord({ documentId: "doc-2" })] });
    expect(documentSeqs).toHaveLength(2);
    expect(documentSeqs[1]).toBeGreaterThan(documentSeqs[0]!);

    const stored = await store.getDocument({
      ownerAgency: "330000",
      direction: "in",
      from: "440000",
      documentId: "doc-1",
    });
    expect(stored).toEqual({ ...doc, seq: documentSeqs[0] });
    expect(stored?.canonical).toBeInstanceOf(Uint8Array);
    const bare = await store.getDocument({
      ownerAgency: "330000",
      direction: "in",
      from: "440000",
      documentId: "doc-2",
    });
    expect(bare).not.toHaveProperty("report");
    expect(bare).not.toHaveProperty("replyTo");
  });

  it("updates only the document fields a change names", async () => {
    await store.commit({ newDocuments: [documentRecord({ receipt: "r-1" })] });
    const key = { ownerAgency: "330000", direction: "in" as const, from: "440000", documentId: "doc-1" };
    await store.commit({ documentUpdates: [{ key, state: "acknowledged", businessReceiptId: "br-1" }] });
    expect(await store.getDocument(key)).toMatchObject({
      state: "acknowledged",
      receipt: "r-1",
      businessReceiptId: "br-1",
    });
  });

  it("finds an agency's inbound copy by its id alone and lists a case's documents", async () => {
    await store.commit({
      newDocuments: [
        documentRecord({ ownerAgency: "440000", direction: "out", state: "queued" }),
        documentRecord(),
        documentRecord({ documentId: "doc-9", caseId: "case-2" }),
      ],
    });
    expect((await store.inboundDocuments("330000", "doc-1")).map((d) => `${d.ownerAgency}/${d.direction}`)).toEqual([
      "330000/in",
    ]);
    expect(await store.inboundDocuments("440000", "doc-1")).toEqual([]); // 广东's copy is outbound
    expect((await store.caseDocuments("330000", "case-1")).map((d) => d.documentId)).toEqual(["doc-1"]);
  });

  it("keeps deliveries and applies partial updates, clearing last_error only on null", async () => {
    await store.commit({ newDeliveries: [deliveryRecord({ payload: "{}" })] });
    await store.commit({
      deliveryUpdates: [
        {
          id: "dlv-1",
          state: "retrying",
          attempts: 1,
          nextAttemptAt: "2026-03-02T08:01:00.000Z",
          lastError: "ECONNREFUSED",
          updatedAt: "2026-03-02T08:00:05.000Z",
        },
      ],
    });
    expect(await store.getDelivery("dlv-1")).toMatchObject({
      state: "retrying",
      attempts: 1,
      lastError: "ECONNREFUSED",
      payload: "{}",
    });
    await store.commit({ deliveryUpdates: [{ id: "dlv-1", state: "sending", updatedAt: "2026-03-02T08:01:00.000Z" }] });
    expect(await store.getDelivery("dlv-1")).toMatchObject({
      state: "sending",
      attempts: 1,
      lastError: "ECONNREFUSED",
    });
    await store.commit({
      deliveryUpdates: [{ id: "dlv-1", state: "delivered", lastError: null, updatedAt: "2026-03-02T08:01:01.000Z" }],
    });
    const delivered = await store.getDelivery("dlv-1");
    expect(delivered).toMatchObject({ state: "delivered", nextAttemptAt: "2026-03-02T08:01:00.000Z" });
    expect(delivered).not.toHaveProperty("lastError");
  });

  it("returns audit events newest first, filtered by agency and kind", async () => {
    await store.commit({
      audit: [
        { at: "t1", kind: "document.received", agencyId: "330000", detail: { 字段: "值", n: 1 } },
        { at: "t2", kind: "security.equivocation", agencyId: "330000" },
      ],
    });
    await store.commit({ audit: [{ at: "t3", kind: "document.received", agencyId: "440000", requestId: "req-1" }] });
    expect((await store.auditEvents({ limit: 10 })).map((a) => a.at)).toEqual(["t3", "t2", "t1"]);
    expect(await store.auditEvents({ agencyId: "330000", kind: "document.received", limit: 10 })).toEqual([
      { at: "t1", kind: "document.received", agencyId: "330000", detail: { 字段: "值", n: 1 } },
    ]);
  });

  it("resolves principals by token hash and replaces a re-saved token", async () => {
    await store.saveToken("h".repeat(64), { tokenId: "tok-1", role: "agency", agencyId: "440000" }, "广东 console");
    await store.saveToken("c".repeat(64), { tokenId: "tok-2", role: "compliance" }, "audit");
    expect(await store.principalByTokenHash("h".repeat(64))).toEqual({
      tokenId: "tok-1",
      role: "agency",
      agencyId: "440000",
    });
    expect(await store.principalByTokenHash("c".repeat(64))).toEqual({ tokenId: "tok-2", role: "compliance" });
    await store.saveToken("c".repeat(64), { tokenId: "tok-3", role: "admin" }, "rotated");
    expect(await store.principalByTokenHash("c".repeat(64))).toEqual({ tokenId: "tok-3", role: "admin" });
    expect(await store.principalByTokenHash("0".repeat(64))).toBeUndefined();
  });
});

describe("SqliteStore listCases", () => {
  it("pages newest first with a cursor, filtered by agency and status", async () => {
    for (let i = 0; i < 5; i++) {
      const at = `2026-03-0${i + 1}T08:00:00.000Z`;
      await store.commit({
        caseWrite: {
          agencyId: "330000",
          caseId: `case-${i}`,
          expectedVersion: 0,
          state: caseState(`case-${i}`, i % 2 ? "completed" : "application-registered"),
          events: [caseEvent(`case-${i}`)],
          at,
        },
      });
    }
    await store.commit(ingestChange("other", "doc-x", 0, "440000"));
    const first = await store.listCases({ agencyId: "330000", limit: 2 });
    expect(first.cases.map((c) => c.caseId)).toEqual(["case-4", "case-3"]);
    const second = await store.listCases({ agencyId: "330000", limit: 2, after: first.next! });
    const third = await store.listCases({ agencyId: "330000", limit: 2, after: second.next! });
    expect([...second.cases, ...third.cases].map((c) => c.caseId)).toEqual(["case-2", "case-1", "case-0"]);
    expect(third.next).toBeUndefined();
    expect((await store.listCases({ status: "completed", limit: 10 })).cases.map((c) => c.caseId)).toEqual([
      "case-3",
      "case-1",
    ]);
  });

  describe("priority (green-channel) cases first", () => {
    const withPriority = (caseId: string, priority: unknown, status = "application-registered") =>
      ({
        ...caseState(caseId, status),
        flags: { priority, temporaryAccount: false, emergencyDeferred: false },
      }) as ReturnType<typeof caseState>;
    const open = (caseId: string, day: number, priority: unknown) =>
      store.commit({
        caseWrite: {
          agencyId: "330000",
          caseId,
          expectedVersion: 0,
          state: withPriority(caseId, priority),
          events: [caseEvent(caseId)],
          at: `2026-03-0${day}T08:00:00.000Z`,
        },
      });
    const ids = (page: { cases: { caseId: string }[] }) => page.cases.map((c) => c.caseId);

    beforeEach(async () => {
      // case-5 holds a flag stored before issue 11 (a boolean): still a priority case.
      const flags = [null, { reasonCode: "HARDSHIP" }, null, null, { reasonCode: "SERIOUS_ILLNESS" }, true];
      for (const [i, priority] of flags.entries()) await open(`case-${i}`, i + 1, priority);
    });

    it("pages priority cases newest first, then the others, without skipping or repeating across pages", async () => {
      const first = await store.listCases({ agencyId: "330000", limit: 2 });
      expect(ids(first)).toEqual(["case-5", "case-4"]);
      // A newer priority case arriving between pages sorts before the cursor: no page repeats or skips one.
      await open("case-6", 7, { reasonCode: "OTHER" });
      const second = await store.listCases({ agencyId: "330000", limit: 2, after: first.next! });
      const third = await store.listCases({ agencyId: "330000", limit: 2, after: second.next! });
      expect([...ids(second), ...ids(third)]).toEqual(["case-1", "case-3", "case-2", "case-0"]);
      expect(third.next).toBeUndefined();
      expect(ids(await store.listCases({ limit: 10 }))).toEqual([
        "case-6",
        "case-5",
        "case-4",
        "case-1",
        "case-3",
        "case-2",
        "case-0",
      ]);
    });

    it("filters on priority, and keeps the column through updates", async () => {
      await store.commit({
        caseWrite: {
          agencyId: "330000",
          caseId: "case-1",
          expectedVersion: 1,
          state: withPriority("case-1", { reasonCode: "HARDSHIP" }, "contact-letter-sent"),
          events: [caseEvent("case-1", "ContactLetterSent")],
          at: "2026-03-09T08:00:00.000Z",
        },
      });
      expect(ids(await store.listCases({ priority: true, limit: 10 }))).toEqual(["case-5", "case-4", "case-1"]);
      expect(ids(await store.listCases({ priority: false, limit: 10 }))).toEqual(["case-3", "case-2", "case-0"]);
      const page = await store.listCases({ priority: true, limit: 1 });
      expect(ids(await store.listCases({ priority: true, limit: 5, after: page.next! }))).toEqual(["case-4", "case-1"]);
    });

    it("refuses a cursor from before priority ordering (three values) with INVALID_CURSOR", async () => {
      const old = btoa(JSON.stringify(["2026-03-03T08:00:00.000Z", "330000", "case-2"]));
      await expect(store.listCases({ limit: 2, after: old })).rejects.toMatchObject({ code: "INVALID_CURSOR" });
    });
  });

  describe("when the cursor was not issued by the store", () => {
    it("rejects with INVALID_CURSOR", async () => {
      await expect(store.listCases({ limit: 2, after: "not-a-cursor" })).rejects.toMatchObject({
        code: "INVALID_CURSOR",
      });
      await expect(store.listCases({ limit: 2, after: "not-a-cursor" })).rejects.toBeInstanceOf(StoreError);
    });
  });
});

describe("configureSqlite", () => {
  it("sets WAL, synchronous=FULL, foreign keys and a busy timeout", async () => {
    const { default: Database } = await import("better-sqlite3");
    const { configureSqlite } = await import("../../src/storage/connection.ts");
    const sqlite = new Database(path);
    configureSqlite(sqlite, { busyTimeoutMs: 2500 });
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(2);
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(2500);
    sqlite.close();
  });
});
