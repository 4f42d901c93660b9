import { describe, expect, it } from "vitest";
import { rangeNodes, rootOfLeafHashes, toHex, treeRoot } from "../../src/domain/archive/index.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { parseCaseIndex, type CaseIndex } from "../../src/usecases/case-index.ts";
import type { ArchiveEntryInput, ArchiveLeaf, StateChange } from "../../src/usecases/ports.ts";
import { caseEvent, caseState, ingestChange, openStoreAt, openTempStore } from "./fixtures.ts";

const AT = "2026-03-02T08:00:00.000Z";

function item(
  caseId: string,
  documentId: string,
  kind: "document" | "receipt" = "document",
  ownerAgency = "330000",
): ArchiveEntryInput {
  return {
    kind,
    ownerAgency,
    caseId,
    documentId,
    recordedAt: AT,
    entry: new TextEncoder().encode(JSON.stringify({ kind, documentId })),
  };
}

/** An ingest change (case step + document row) that archives one item, as the receiving pipeline does. */
function archived(caseId: string, documentId: string, expectedVersion: number): StateChange {
  return {
    ...ingestChange(caseId, documentId, expectedVersion),
    archive: [item(caseId, documentId), item(caseId, documentId, "receipt")],
  };
}

function indexOf(leaf: ArchiveLeaf): CaseIndex {
  const parsed = parseCaseIndex(leaf.entry);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

const listed = (leaf: ArchiveLeaf) => indexOf(leaf).items.map((i) => i.leafIndex);

describe("case-index leaves (issue 9 item 10)", () => {
  it("closes every batch with one index per case it touches, listing the case's earlier leaves and its own", async () => {
    const { store, dispose } = openTempStore();
    try {
      await store.commit(archived("case-1", "doc-1", 0));
      // Two batches of the same case in one group: the second index must list the first batch's items.
      await Promise.all([
        store.commit(archived("case-1", "doc-2", 1)),
        store.commit({ archive: [item("case-2", "doc-9"), item("case-1", "doc-3", "receipt")] }),
      ]);
      const leaves = await store.archive.leaves(0, 100);
      expect(leaves.map((l) => `${l.caseId}:${l.kind}`)).toEqual([
        "case-1:document",
        "case-1:receipt",
        "case-1:case-index",
        "case-1:document",
        "case-1:receipt",
        "case-1:case-index",
        "case-2:document",
        "case-1:receipt",
        "case-2:case-index",
        "case-1:case-index",
      ]);
      expect(listed(leaves[2]!)).toEqual([0, 1]);
      expect(listed(leaves[5]!)).toEqual([0, 1, 3, 4]);
      expect(listed(leaves[8]!)).toEqual([6]);
      expect(listed(leaves[9]!)).toEqual([0, 1, 3, 4, 7]);
      const last = indexOf(leaves[9]!);
      expect(last.items.map((i) => i.leafHash)).toEqual([0, 1, 3, 4, 7].map((i) => toHex(leaves[i]!.leafHash)));
      expect(last.meta).toMatchObject({
        kind: "case-index",
        ownerAgency: "330000",
        caseId: "case-1",
        status: "application-registered",
        count: 5,
      });
      expect(indexOf(leaves[8]!).meta.status).toBeNull();
    } finally {
      await dispose();
    }
  });

  it("never lists the items of a refused change, even one refused inside the same group", async () => {
    const { store, dispose } = openTempStore();
    try {
      await store.commit(archived("case-1", "doc-1", 0));
      const results = await Promise.allSettled([
        store.commit(archived("case-1", "doc-stale", 0)),
        store.commit(archived("case-1", "doc-2", 1)),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
      const leaves = await store.archive.leaves(0, 100);
      expect(leaves.map((l) => l.documentId)).toEqual(["doc-1", "doc-1", "", "doc-2", "doc-2", ""]);
      expect(listed(leaves[5]!)).toEqual([0, 1, 3, 4]);
    } finally {
      await dispose();
    }
  });

  it("appends after another process appended to the same database, at the next free index", async () => {
    const { store: serving, path, dispose } = openTempStore();
    const exporting = openStoreAt(path);
    try {
      await serving.commit({ archive: [item("case-1", "doc-1")] });
      await exporting.commit({ indexCases: [{ ownerAgency: "330000", caseId: "case-2", at: AT }] });
      await serving.commit({ archive: [item("case-1", "doc-2")] });
      const leaves = await serving.archive.leaves(0, 100);
      expect(leaves.map((l) => l.index)).toEqual([0, 1, 2, 3, 4]);
      expect(leaves.map((l) => `${l.caseId}:${l.kind}`)).toEqual([
        "case-1:document",
        "case-1:case-index",
        "case-2:case-index",
        "case-1:document",
        "case-1:case-index",
      ]);
      const stored = await serving.archive.nodes(rangeNodes(0, 5));
      const map = new Map(rangeNodes(0, 5).map((id, i) => [`${id.level}/${id.index}`, stored[i]]));
      const root = treeRoot(rfc6962Hasher, 5, { getNode: (level, index) => map.get(`${level}/${index}`) });
      expect(toHex(root)).toBe(
        toHex(
          rootOfLeafHashes(
            rfc6962Hasher,
            leaves.map((l) => rfc6962Hasher.hashLeaf(l.entry)),
          ),
        ),
      );
    } finally {
      await exporting.close();
      await dispose();
    }
  });

  it("indexes a case without new items on request, with the case's status", async () => {
    const { store, dispose } = openTempStore();
    try {
      await store.commit({
        caseWrite: {
          agencyId: "330000",
          caseId: "case-1",
          expectedVersion: 0,
          state: caseState("case-1", "contact-sent"),
          events: [caseEvent("case-1")],
          at: AT,
        },
      });
      await store.commit({ indexCases: [{ ownerAgency: "330000", caseId: "case-1", at: AT }] });
      const [leaf] = await store.archive.leaves(0, 10);
      expect(indexOf(leaf!)).toMatchObject({
        items: [],
        meta: { caseId: "case-1", status: "contact-sent", recordedAt: AT, count: 0 },
      });
      await expect(store.commit({ archive: [{ ...item("case-1", "x"), kind: "case-index" }] })).rejects.toBeDefined();
    } finally {
      await dispose();
    }
  });
});
