import { describe, expect, it } from "vitest";
import { createGroupCommitter, type Outcome } from "../../src/storage/group-commit.ts";
import { documentRecord, ingestChange, openTempStore } from "./fixtures.ts";
import { instant, signerReport } from "./report-fixtures.ts";

describe("group commit", () => {
  describe("when many commits arrive in the same tick", () => {
    it("makes them durable in a few transactions", async () => {
      const { store, dispose } = openTempStore();
      try {
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) => store.commit(ingestChange(`case-${i}`, `doc-${i}`))),
        );
        expect(results).toHaveLength(200);
        expect(store.stats()).toMatchObject({ groups: 1, items: 200, failed: 0, largest: 200 });
        expect(await store.inbox("330000", 0, 1000)).toHaveLength(200);
      } finally {
        await dispose();
      }
    });

    it("splits a group at maxBatch", async () => {
      const { store, dispose } = openTempStore({ maxBatch: 64 });
      try {
        await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.commit({ newDocuments: [documentRecord({ documentId: `d-${i}` })] }),
          ),
        );
        expect(store.stats()).toMatchObject({ groups: 4, items: 200, largest: 64 });
      } finally {
        await dispose();
      }
    });
  });

  describe("when one change in a group is refused", () => {
    it("rejects only that change and commits its neighbours", async () => {
      const { store, dispose } = openTempStore();
      try {
        await store.commit(ingestChange("case-0", "doc-0"));
        const changes = [
          ingestChange("case-1", "doc-1"),
          ingestChange("case-0", "doc-stale"),
          ingestChange("case-2", "doc-0"),
          ingestChange("case-3", "doc-3"),
        ];
        const results = await Promise.allSettled(changes.map((c) => store.commit(c)));
        expect(results.map((r) => (r.status === "fulfilled" ? "ok" : r.reason.code))).toEqual([
          "ok",
          "VERSION_CONFLICT",
          "DUPLICATE_DOCUMENT",
          "ok",
        ]);
        expect(store.stats()).toMatchObject({ groups: 2, failed: 2 });
        expect(await store.getCase("330000", "case-1")).toBeDefined();
        expect(await store.getCase("330000", "case-2")).toBeUndefined();
        expect(await store.getCase("330000", "case-3")).toBeDefined();
        expect((await store.inbox("330000", 0, 10)).map((d) => d.documentId)).toEqual(["doc-0", "doc-1", "doc-3"]);
      } finally {
        await dispose();
      }
    });
    // A group first runs without savepoints (group-runner.ts); a refusal rolls it back whole and runs it
    // again change by change. What the first pass wrote (a template row, archive leaves) must not leak.
    it("commits the neighbours as in savepoints: template rows, seqs and archive leaves of the rerun", async () => {
      const { store, dispose } = openTempStore();
      try {
        await store.commit(ingestChange("case-0", "doc-0"));
        const report = signerReport("新中心", instant(1), instant(2));
        const leaf = (documentId: string) => ({ archive: [{ kind: "document" as const, newDocument: 0 }], documentId });
        const withLeaf = (caseId: string, documentId: string, extra = {}) => {
          const change = ingestChange(caseId, documentId);
          const doc = { ...change.newDocuments![0]!, ...extra };
          return { ...change, newDocuments: [doc], archive: leaf(documentId).archive };
        };
        const changes = [
          withLeaf("case-1", "doc-1", { report }),
          withLeaf("case-2", "doc-0"),
          withLeaf("case-3", "doc-3", { report: signerReport("新中心", instant(3), instant(4)) }),
        ];
        const results = await Promise.allSettled(changes.map((c) => store.commit(c)));
        expect(results.map((r) => (r.status === "fulfilled" ? r.value : r.reason.code))).toEqual([
          { documentSeqs: [2], archiveIndexes: [0] },
          "DUPLICATE_DOCUMENT",
          { documentSeqs: [3], archiveIndexes: [2] },
        ]);
        const key = (documentId: string) => ({
          ownerAgency: "330000",
          direction: "in" as const,
          from: "440000",
          documentId,
        });
        expect(JSON.stringify((await store.getDocument(key("doc-1")))?.report)).toBe(JSON.stringify(report));
        const leaves = await store.archive.leaves(0, 10);
        expect(leaves.map((l) => `${l.index}:${l.caseId}:${l.kind}`)).toEqual([
          "0:case-1:document",
          "1:case-1:case-index",
          "2:case-3:document",
          "3:case-3:case-index",
        ]);
        // The next groups (in savepoints after a refusal, then optimistic again) still refuse alone.
        for (const round of [4, 6]) {
          const next = [withLeaf(`case-${round}`, `doc-${round}`), withLeaf(`case-${round + 1}`, "doc-3")];
          const settled = await Promise.allSettled(next.map((c) => store.commit(c)));
          expect(settled.map((r) => (r.status === "fulfilled" ? "ok" : r.reason.code))).toEqual([
            "ok",
            "DUPLICATE_DOCUMENT",
          ]);
          const clean = await store.commit(withLeaf(`case-${round + 20}`, `doc-${round + 20}`));
          expect(clean.archiveIndexes).toHaveLength(1);
        }
        expect((await store.archive.leaves(0, 100)).map((l) => l.index)).toEqual([...Array(12).keys()]);
      } finally {
        await dispose();
      }
    });
  });

  describe("when the store closes with commits queued", () => {
    it("commits them first and refuses later ones with STORE_UNAVAILABLE", async () => {
      const { store, path, dispose } = openTempStore();
      const pending = [store.commit(ingestChange("case-1", "doc-1")), store.commit(ingestChange("case-2", "doc-2"))];
      await store.close();
      await expect(Promise.all(pending)).resolves.toHaveLength(2);
      await expect(store.commit(ingestChange("case-3", "doc-3"))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      await expect(store.getCase("330000", "case-1")).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      const { openStoreAt } = await import("./fixtures.ts");
      const reopened = openStoreAt(path);
      expect(await reopened.getCase("330000", "case-2")).toMatchObject({ version: 1 });
      await reopened.close();
      await dispose();
    });
  });
});

describe("createGroupCommitter", () => {
  describe("when the group runner itself throws", () => {
    it("rejects every waiting item", async () => {
      const committer = createGroupCommitter<number, number>(
        () => {
          throw new Error("disk gone");
        },
        () => new Error("closed"),
      );
      const results = await Promise.allSettled([committer.submit(1), committer.submit(2)]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    });
  });

  it("passes each item its own outcome", async () => {
    const runGroup = (items: number[]): Outcome<number>[] =>
      items.map((n) => (n % 2 ? { ok: true, value: n * 10 } : { ok: false, error: new Error(`even ${n}`) }));
    const committer = createGroupCommitter(runGroup, () => new Error("closed"));
    const results = await Promise.allSettled([1, 2, 3].map((n) => committer.submit(n)));
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : r.reason.message))).toEqual([10, "even 2", 30]);
  });
});
