import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/storage/sqlite-store.ts";
import type { StateChange } from "../../src/usecases/ports.ts";
import { StoreError } from "../../src/usecases/store-error.ts";
import { caseEvent, caseState, deliveryRecord, documentRecord, ingestChange, openTempStore } from "./fixtures.ts";

let store: SqliteStore;
let dispose: () => Promise<void>;

beforeEach(() => {
  ({ store, dispose } = openTempStore());
});
afterEach(async () => dispose());

/** A step on an existing case that also writes a document, a delivery and an audit row. */
function step(expectedVersion: number, tag: string): StateChange {
  return {
    caseWrite: {
      agencyId: "330000",
      caseId: "case-1",
      expectedVersion,
      state: caseState("case-1", `status-${tag}`),
      events: [caseEvent("case-1", `Event-${tag}`)],
      at: "2026-03-03T00:00:00.000Z",
    },
    newDocuments: [documentRecord({ documentId: `doc-${tag}` })],
    newDeliveries: [deliveryRecord({ id: `dlv-${tag}` })],
    audit: [{ at: "2026-03-03T00:00:00.000Z", kind: `audit-${tag}`, agencyId: "330000" }],
  };
}

async function rowsOf(tag: string) {
  return {
    document: await store.getDocument({
      ownerAgency: "330000",
      direction: "in",
      from: "440000",
      documentId: `doc-${tag}`,
    }),
    delivery: await store.getDelivery(`dlv-${tag}`),
    audit: await store.auditEvents({ kind: `audit-${tag}`, limit: 5 }),
  };
}

describe("version guard", () => {
  describe("when two commits race with the same expected version", () => {
    it("accepts exactly one and writes nothing of the other", async () => {
      await store.commit(ingestChange("case-1", "doc-0"));
      const results = await Promise.allSettled([store.commit(step(1, "a")), store.commit(step(1, "b"))]);

      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
      const loser = (results[1] as PromiseRejectedResult).reason;
      expect(loser).toBeInstanceOf(StoreError);
      expect(loser.code).toBe("VERSION_CONFLICT");
      expect(await store.getCase("330000", "case-1")).toMatchObject({ version: 2, state: { status: "status-a" } });
      expect((await store.caseEvents("330000", "case-1")).map((e) => e.event.type)).toEqual([
        "ApplicationRegistered",
        "Event-a",
      ]);
      expect(await rowsOf("b")).toEqual({ document: undefined, delivery: undefined, audit: [] });
      expect((await rowsOf("a")).audit).toHaveLength(1);
    });
  });

  describe("when two writers both create the same case", () => {
    it("refuses the second with VERSION_CONFLICT", async () => {
      const results = await Promise.allSettled([
        store.commit(ingestChange("case-1", "doc-a")),
        store.commit(ingestChange("case-1", "doc-b")),
      ]);
      expect(results[1]).toMatchObject({ status: "rejected", reason: { code: "VERSION_CONFLICT" } });
      expect(await store.inboundDocuments("330000", "doc-b")).toEqual([]);
    });
  });

  describe("when the expected version is behind or ahead of the stored one", () => {
    it("refuses both with VERSION_CONFLICT", async () => {
      await store.commit(ingestChange("case-1", "doc-0"));
      await store.commit(step(1, "a"));
      await expect(store.commit(step(1, "stale"))).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
      await expect(store.commit(step(5, "ahead"))).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
      expect(await store.getCase("330000", "case-1")).toMatchObject({ version: 2 });
    });
  });

  describe("when the case does not exist but a version is expected", () => {
    it("refuses with VERSION_CONFLICT and writes nothing", async () => {
      await expect(store.commit(step(3, "ghost"))).rejects.toMatchObject({ code: "VERSION_CONFLICT" });
      expect(await store.getCase("330000", "case-1")).toBeUndefined();
      expect(await rowsOf("ghost")).toEqual({ document: undefined, delivery: undefined, audit: [] });
    });
  });
});

describe("duplicate document", () => {
  it("refuses the whole change with DUPLICATE_DOCUMENT", async () => {
    await store.commit(ingestChange("case-1", "doc-0"));
    const replay: StateChange = {
      ...step(1, "dup"),
      newDocuments: [documentRecord({ documentId: "doc-x" }), documentRecord({ documentId: "doc-0" })],
    };
    await expect(store.commit(replay)).rejects.toMatchObject({ code: "DUPLICATE_DOCUMENT" });

    expect(await store.getCase("330000", "case-1")).toMatchObject({ version: 1 });
    expect(await store.caseEvents("330000", "case-1")).toHaveLength(1);
    expect(await store.inboundDocuments("330000", "doc-x")).toEqual([]);
    expect(await rowsOf("dup")).toEqual({ document: undefined, delivery: undefined, audit: [] });
  });

  it("accepts the same document id on the other side or from another sender", async () => {
    await store.commit({ newDocuments: [documentRecord()] });
    await store.commit({
      newDocuments: [documentRecord({ direction: "out", ownerAgency: "330000", from: "440000", state: "queued" })],
    });
    await store.commit({ newDocuments: [documentRecord({ from: "510000" })] });
    expect((await store.inboundDocuments("330000", "doc-1")).map((d) => d.from)).toEqual(["440000", "510000"]);
    const outbound = { ownerAgency: "330000", direction: "out" as const, from: "440000", documentId: "doc-1" };
    expect(await store.getDocument(outbound)).toMatchObject({ state: "queued" });
  });
});
