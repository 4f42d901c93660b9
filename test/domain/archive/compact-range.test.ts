import { describe, expect, it } from "vitest";
import { CompactRange, toHex, type StoredNode } from "../../../src/domain/archive/index.ts";
import { rfc6962Hasher as h } from "../../../src/pki/merkle-hasher.ts";
import { MemoryNodes, entries, refRoot } from "./reference.ts";

const ids = (nodes: readonly StoredNode[]) => nodes.map((n) => `${n.level}/${n.index}`);
const leafHashes = (n: number) => entries(n).map((e) => h.hashLeaf(e));

describe("CompactRange", () => {
  describe("when leaf 3 is appended to a tree of 3", () => {
    it("persists the leaf and the two subtrees it completes", () => {
      const three = CompactRange.empty(h).appendBatch(leafHashes(3)).range;
      const result = three.append(leafHashes(4)[3]!);
      expect(ids(result.nodes)).toEqual(["0/3", "1/1", "2/0"]);
      expect(result.firstIndex).toBe(3);
      expect(result.range.size).toBe(4);
      expect(result.range.frontier()).toHaveLength(1);
    });
  });

  describe("after 1,000 appends", () => {
    const data = entries(1000);
    const result = CompactRange.empty(h).appendBatch(data.map((e) => h.hashLeaf(e)));

    it("has emitted every complete subtree exactly once, each hashing its leaves", () => {
      const expected = Array.from({ length: 10 }, (_, l) => Math.floor(1000 / 2 ** l)).reduce((a, b) => a + b, 0);
      expect(new Set(ids(result.nodes)).size).toBe(expected);
      expect(result.nodes).toHaveLength(expected);
      for (const n of result.nodes.filter((_, i) => i % 97 === 0 || _.level >= 6)) {
        expect(toHex(n.hash)).toBe(toHex(refRoot(h, data.slice(n.index * 2 ** n.level, (n.index + 1) * 2 ** n.level))));
      }
    });

    it("keeps popcount(size) frontier hashes and the MTH root", () => {
      expect(result.range.frontier()).toHaveLength(6); // 1000 = 0b1111101000
      expect(result.root).toEqual(refRoot(h, data));
      expect(result.range.root()).toEqual(result.root);
    });
  });

  describe("when a batch is appended", () => {
    it("yields the same nodes and root as one-by-one appends", () => {
      let single = CompactRange.empty(h).append(leafHashes(1)[0]!).range;
      const singleNodes: StoredNode[] = [];
      for (const leaf of leafHashes(70).slice(1)) {
        const r = single.append(leaf);
        singleNodes.push(...r.nodes);
        single = r.range;
      }
      const start = CompactRange.empty(h).append(leafHashes(1)[0]!).range;
      const batch = start.appendBatch(leafHashes(70).slice(1));
      expect(ids(batch.nodes)).toEqual(ids(singleNodes));
      expect(batch.root).toEqual(single.root());
      expect(start.size).toBe(1); // the receiver is unchanged: a failed commit just drops the result
    });
  });

  describe("when restored from stored nodes after a restart", () => {
    it("continues to the same root as an uninterrupted log", () => {
      const store = new MemoryNodes();
      store.put(CompactRange.empty(h).appendBatch(leafHashes(300)).nodes);
      const restored = CompactRange.fromNodes(h, 213, store);
      expect(restored.root()).toEqual(refRoot(h, entries(213)));
      expect(restored.appendBatch(leafHashes(300).slice(213)).root).toEqual(refRoot(h, entries(300)));
      expect(CompactRange.frontierIds(213)).toEqual([
        { level: 7, index: 0 },
        { level: 6, index: 2 },
        { level: 4, index: 12 },
        { level: 2, index: 52 },
        { level: 0, index: 212 },
      ]);
    });

    it("throws ARCHIVE_NODE_MISSING when a frontier node is absent or the hash count is wrong", () => {
      const store = new MemoryNodes();
      store.put(CompactRange.empty(h).appendBatch(leafHashes(10)).nodes);
      store.map.delete("1/4");
      expect(() => CompactRange.fromNodes(h, 10, store)).toThrow(
        expect.objectContaining({ code: "ARCHIVE_NODE_MISSING" }),
      );
      expect(() => CompactRange.fromHashes(h, 3, [h.emptyRoot()])).toThrow(
        expect.objectContaining({ code: "ARCHIVE_NODE_MISSING" }),
      );
    });
  });

  describe("when a leaf hash has the wrong length", () => {
    it("throws ARCHIVE_PROOF_INVALID and appends nothing", () => {
      expect(() => CompactRange.empty(h).append(new Uint8Array(31))).toThrow(
        expect.objectContaining({ code: "ARCHIVE_PROOF_INVALID" }),
      );
    });
  });

  describe("for the empty tree", () => {
    it("has the empty root", () => {
      expect(CompactRange.empty(h).root()).toEqual(h.emptyRoot());
    });
  });
});
