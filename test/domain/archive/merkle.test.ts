import { beforeAll, describe, expect, it } from "vitest";
import {
  ArchiveError,
  CompactRange,
  consistencyPlan,
  consistencyProof,
  inclusionPlan,
  inclusionProof,
  planNodeIds,
  assembleProof,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  rootOfEntries,
  treeRoot,
  verifyConsistency,
  verifyInclusion,
} from "../../../src/domain/archive/index.ts";
import { rfc6962Hasher as h } from "../../../src/pki/merkle-hasher.ts";
import { MemoryNodes, entries, hexes, prng, refPath, refProof, refRoot } from "./reference.ts";

/** Appends `data` in batches of 37 and returns the node store the appends produced. */
function buildLog(data: readonly Uint8Array[]): MemoryNodes {
  const nodes = new MemoryNodes();
  let range = CompactRange.empty(h);
  for (let i = 0; i < data.length; i += 37) {
    const result = range.appendBatch(data.slice(i, i + 37).map((e) => h.hashLeaf(e)));
    nodes.put(result.nodes);
    range = result.range;
  }
  return nodes;
}

function checkSize(
  data: readonly Uint8Array[],
  nodes: MemoryNodes,
  n: number,
  indexes: number[],
  firsts: number[],
): void {
  const prefix = data.slice(0, n);
  const root = refRoot(h, prefix);
  expect(treeRoot(h, n, nodes)).toEqual(root);
  for (const i of indexes) {
    const proof = inclusionProof(h, i, n, nodes);
    expect(hexes(proof)).toEqual(hexes(refPath(h, i, prefix)));
    const leaf = h.hashLeaf(data[i]!);
    expect(rootFromInclusionProof(h, i, n, leaf, proof)).toEqual(root);
    verifyInclusion(h, i, n, leaf, proof, root);
  }
  for (const m of firsts) {
    const proof = consistencyProof(h, m, n, nodes);
    expect(hexes(proof)).toEqual(hexes(refProof(h, m, prefix)));
    const oldRoot = refRoot(h, data.slice(0, m));
    verifyConsistency(h, m, n, proof, oldRoot, root);
    if (m > 0) expect(rootFromConsistencyProof(h, m, n, proof, oldRoot)).toEqual(root);
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("merkle proofs against the naive RFC 9162 reference", () => {
  describe("for every 1 ≤ m ≤ n ≤ 64", () => {
    const data = entries(64);
    let nodes: MemoryNodes;
    beforeAll(() => void (nodes = buildLog(data)));

    it("generates the reference root, every inclusion proof and every consistency proof, and all verify", () => {
      expect(treeRoot(h, 0, nodes)).toEqual(h.emptyRoot());
      for (let n = 1; n <= 64; n++) checkSize(data, nodes, n, range(n), range(n + 1));
    });
  });

  describe("for random sizes up to 3,000", () => {
    const data = entries(3000);
    const next = prng(9162);
    let nodes: MemoryNodes;
    beforeAll(() => void (nodes = buildLog(data)));

    const sizes = [1023, 1024, 1025, 2048, 2049, 3000, ...Array.from({ length: 8 }, () => 1 + next(3000))];
    it.each(sizes)("agrees at size %i on roots, sampled inclusion and consistency proofs", (n) => {
      const indexes = [0, n - 1, ...Array.from({ length: 10 }, () => next(n))];
      const firsts = [1, n, ...Array.from({ length: 5 }, () => 1 + next(n))];
      checkSize(data, nodes, n, indexes, firsts);
    });

    it("reads at most 2·log2(n) stored nodes for an inclusion proof, never rehashing the log", () => {
      nodes.reads = 0;
      inclusionProof(h, 1234, 2999, nodes);
      expect(nodes.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(2999)));
    });
  });

  describe("when proofs are planned and the nodes fetched in one batch", () => {
    it("assembles the same proof from the fetched hashes", () => {
      const data = entries(300);
      const nodes = buildLog(data);
      const plan = consistencyPlan(77, 300);
      const fetched = new Map(
        planNodeIds(plan).map((id) => [`${id.level}/${id.index}`, nodes.getNode(id.level, id.index)!]),
      );
      const proof = assembleProof(h, plan, { getNode: (l, i) => fetched.get(`${l}/${i}`) });
      expect(hexes(proof)).toEqual(hexes(refProof(h, 77, data.slice(0, 300))));
      expect(inclusionPlan(0, 1)).toEqual([]);
    });
  });

  describe("when the store lacks a node", () => {
    it("throws ARCHIVE_NODE_MISSING", () => {
      const nodes = buildLog(entries(10));
      nodes.map.delete("1/4"); // leaves 8–9
      expect(() => inclusionProof(h, 3, 10, nodes)).toThrow(expect.objectContaining({ code: "ARCHIVE_NODE_MISSING" }));
      expect(() => treeRoot(h, 10, nodes)).toThrow(ArchiveError);
    });
  });

  describe("when generation is asked for sizes outside the tree", () => {
    it.each([
      [5, 5],
      [-1, 5],
      [0, 0],
      [1.5, 4],
      [0, Number.MAX_SAFE_INTEGER + 1],
    ])("inclusion(%d, %d) throws ARCHIVE_INDEX_OUT_OF_RANGE", (i, n) => {
      expect(() => inclusionPlan(i, n)).toThrow(expect.objectContaining({ code: "ARCHIVE_INDEX_OUT_OF_RANGE" }));
    });
    it("consistency(6, 5) throws ARCHIVE_INDEX_OUT_OF_RANGE", () => {
      expect(() => consistencyPlan(6, 5)).toThrow(expect.objectContaining({ code: "ARCHIVE_INDEX_OUT_OF_RANGE" }));
    });
  });

  describe("rootOfEntries", () => {
    it("equals MTH for 0 to 20 entries", () => {
      for (let n = 0; n <= 20; n++) expect(rootOfEntries(h, entries(n))).toEqual(refRoot(h, entries(n)));
    });
  });

  describe("plans near 2^53", () => {
    it("stay exact where 32-bit shifts would overflow", () => {
      const n = Number.MAX_SAFE_INTEGER;
      expect(inclusionPlan(0, n)).toHaveLength(53); // 52 levels inside the 2^52 subtree, then everything right of it
      const plan = inclusionPlan(n - 1, n);
      expect(plan).toHaveLength(52); // the last leaf is the lone 2^0 subtree: one sibling per larger subtree
      expect(plan.flat().every((id) => Number.isSafeInteger(id.index) && id.index * 2 ** id.level < n)).toBe(true);
      expect(consistencyPlan(2 ** 40 + 3, n).length).toBeGreaterThan(0);
    });
  });
});
