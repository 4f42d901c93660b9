import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteStore } from "../../src/storage/sqlite-store.ts";
import { deliveryRecord, documentRecord, openTempStore } from "./fixtures.ts";

let store: SqliteStore;
let dispose: () => Promise<void>;

beforeEach(() => {
  ({ store, dispose } = openTempStore());
});
afterEach(async () => dispose());

describe("inbox", () => {
  it("returns only the agency's inbound documents after the cursor, in commit order", async () => {
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) {
      const owner = i % 3 === 2 ? "440000" : "330000";
      const { documentSeqs } = await store.commit({
        newDocuments: [documentRecord({ ownerAgency: owner, documentId: `doc-${i}` })],
      });
      seqs.push(documentSeqs[0]!);
    }
    await store.commit({
      newDocuments: [documentRecord({ direction: "out", documentId: "sent-1", from: "330000", state: "queued" })],
    });

    const page1 = await store.inbox("330000", 0, 2);
    expect(page1.map((d) => d.documentId)).toEqual(["doc-0", "doc-1"]);
    const page2 = await store.inbox("330000", page1.at(-1)!.seq!, 10);
    expect(page2.map((d) => d.documentId)).toEqual(["doc-3", "doc-4"]);
    expect(page2.map((d) => d.seq)).toEqual([seqs[3], seqs[4]]);
    expect(await store.inbox("330000", page2.at(-1)!.seq!, 10)).toEqual([]);
  });

  it("gives concurrently committed documents increasing seqs in submission order", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.commit({ newDocuments: [documentRecord({ documentId: `c-${i}` })] })),
    );
    const seqs = results.map((r) => r.documentSeqs[0]!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await store.inbox("330000", 0, 100)).map((d) => d.seq)).toEqual(seqs);
  });
});

describe("dueDeliveries", () => {
  it("returns queued, retrying and uncertain deliveries due by now, oldest first", async () => {
    const row = (id: string, state: string, nextAttemptAt: string) =>
      deliveryRecord({ id, state: state as never, nextAttemptAt });
    await store.commit({
      newDeliveries: [
        row("late", "retrying", "2026-03-02T08:00:30.000Z"),
        row("first", "queued", "2026-03-02T08:00:00.000Z"),
        row("unsure", "uncertain", "2026-03-02T08:00:10.000Z"),
        row("future", "queued", "2026-03-02T09:00:00.000Z"),
        row("busy", "sending", "2026-03-02T07:00:00.000Z"),
        row("done", "delivered", "2026-03-02T07:00:00.000Z"),
        row("gave-up", "failed", "2026-03-02T07:00:00.000Z"),
      ],
    });
    const due = await store.dueDeliveries("2026-03-02T08:00:30.000Z", 10);
    expect(due.map((d) => d.id)).toEqual(["first", "unsure", "late"]);
    expect((await store.dueDeliveries("2026-03-02T08:00:30.000Z", 2)).map((d) => d.id)).toEqual(["first", "unsure"]);
  });

  it("lists deliveries by owner and state", async () => {
    await store.commit({
      newDeliveries: [
        deliveryRecord({ id: "a", createdAt: "2026-03-02T08:00:00.000Z" }),
        deliveryRecord({
          id: "b",
          createdAt: "2026-03-02T08:00:01.000Z",
          kind: "webhook",
          target: "https://agency.example/hook",
        }),
        deliveryRecord({ id: "c", ownerAgency: "330000", state: "failed" }),
      ],
    });
    expect((await store.listDeliveries({ ownerAgency: "440000", limit: 10 })).map((d) => d.id)).toEqual(["b", "a"]);
    expect((await store.listDeliveries({ state: "failed", limit: 10 })).map((d) => d.id)).toEqual(["c"]);
  });
});
