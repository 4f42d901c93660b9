import { describe, expect, it } from "vitest";
import {
  CompactRange,
  consistencyProof,
  fromHex,
  inclusionProof,
  rootFromConsistencyProof,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "../../../src/domain/archive/index.ts";
import { rfc6962Hasher as h } from "../../../src/pki/merkle-hasher.ts";
import { MemoryNodes, entries } from "./reference.ts";

const SOME = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456")!;
const EMPTY = h.emptyRoot();
const code = (c: string) => expect.objectContaining({ code: c });

function log(n: number) {
  const nodes = new MemoryNodes();
  const result = CompactRange.empty(h).appendBatch(entries(n).map((e) => h.hashLeaf(e)));
  nodes.put(result.nodes);
  return { nodes, root: result.root, leaf: (i: number) => h.hashLeaf(entries(n)[i]!) };
}

describe("verifyInclusion", () => {
  const tree = log(100);
  const proof = inclusionProof(h, 42, 100, tree.nodes);

  describe("when the proof is one hash short", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      expect(() => verifyInclusion(h, 42, 100, tree.leaf(42), proof.slice(1), tree.root)).toThrow(
        code("ARCHIVE_PROOF_INVALID"),
      );
    });
  });
  describe("when the proof is one hash long", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      expect(() => verifyInclusion(h, 42, 100, tree.leaf(42), [...proof, SOME], tree.root)).toThrow(
        code("ARCHIVE_PROOF_INVALID"),
      );
    });
  });
  describe("when a proof hash is wrong", () => {
    it("throws ARCHIVE_PROOF_INVALID with both roots in the details", () => {
      const bad = proof.map((p, i) => (i === 3 ? SOME : p));
      expect(() => verifyInclusion(h, 42, 100, tree.leaf(42), bad, tree.root)).toThrow(
        expect.objectContaining({
          code: "ARCHIVE_PROOF_INVALID",
          details: expect.objectContaining({ expected: expect.any(String) }),
        }),
      );
    });
  });
  describe("when the index or size is wrong", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      expect(() => verifyInclusion(h, 43, 100, tree.leaf(42), proof, tree.root)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      // A size with the same proof shape (99) leads to the same root; a different shape is refused before hashing.
      expect(() => verifyInclusion(h, 42, 64, tree.leaf(42), proof, tree.root)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyInclusion(h, 42, 200, tree.leaf(42), proof, tree.root)).toThrow(code("ARCHIVE_PROOF_INVALID"));
    });
  });
  describe("when the index is not below the size, or not a safe integer", () => {
    it.each([
      [100, 100],
      [101, 100],
      [-1, 100],
      [0.5, 100],
      [Number.NaN, 100],
      [0, Infinity],
      [0, 2 ** 53],
    ])("(%d, %d) throws ARCHIVE_INDEX_OUT_OF_RANGE", (i, n) => {
      expect(() => verifyInclusion(h, i, n, tree.leaf(0), proof, tree.root)).toThrow(
        code("ARCHIVE_INDEX_OUT_OF_RANGE"),
      );
    });
  });
  describe("when the root is wrong or a hash has the wrong length", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      expect(() => verifyInclusion(h, 42, 100, tree.leaf(42), proof, SOME)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyInclusion(h, 42, 100, tree.leaf(42), proof, tree.root.slice(1))).toThrow(
        code("ARCHIVE_PROOF_INVALID"),
      );
      expect(() => verifyInclusion(h, 42, 100, tree.leaf(42).slice(0, 31), proof, tree.root)).toThrow(
        code("ARCHIVE_PROOF_INVALID"),
      );
      expect(() =>
        verifyInclusion(h, 42, 100, tree.leaf(42), [new Uint8Array(33), ...proof.slice(1)], tree.root),
      ).toThrow(code("ARCHIVE_PROOF_INVALID"));
    });
  });
  describe("when the proof is not a list of byte strings", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      const hostile = [
        null,
        "abc",
        { length: proof.length },
        proof.map(() => "00".repeat(32)),
      ] as unknown as Uint8Array[][];
      for (const p of hostile)
        expect(() => verifyInclusion(h, 42, 100, tree.leaf(42), p, tree.root)).toThrow(code("ARCHIVE_PROOF_INVALID"));
    });
  });
  describe("for a one-leaf tree (transparency-dev TestVerifyInclusionSingleEntry)", () => {
    it("accepts the leaf hash as root with an empty proof and nothing else", () => {
      const leaf = h.hashLeaf(new TextEncoder().encode("data"));
      verifyInclusion(h, 0, 1, leaf, [], leaf);
      expect(rootFromInclusionProof(h, 0, 1, leaf, [])).toEqual(leaf);
      for (const [l, r] of [
        [leaf, new Uint8Array(0)],
        [new Uint8Array(0), leaf],
        [new Uint8Array(0), new Uint8Array(0)],
      ]) {
        expect(() => verifyInclusion(h, 0, 1, l!, [], r!)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      }
    });
  });
});

describe("verifyConsistency", () => {
  const tree = log(100);
  const old = log(37);
  const proof = consistencyProof(h, 37, 100, tree.nodes);

  it("returns the new root from a good proof", () => {
    expect(rootFromConsistencyProof(h, 37, 100, proof, old.root)).toEqual(tree.root);
  });
  describe("when the proof is one hash short or long", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      expect(() => verifyConsistency(h, 37, 100, proof.slice(0, -1), old.root, tree.root)).toThrow(
        code("ARCHIVE_PROOF_INVALID"),
      );
      expect(() => verifyConsistency(h, 37, 100, [...proof, SOME], old.root, tree.root)).toThrow(
        code("ARCHIVE_PROOF_INVALID"),
      );
    });
  });
  describe("when the old root does not belong to the proof", () => {
    it("throws ARCHIVE_PROOF_INVALID", () => {
      expect(() => verifyConsistency(h, 37, 100, proof, SOME, tree.root)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => rootFromConsistencyProof(h, 37, 100, proof, SOME)).toThrow(code("ARCHIVE_PROOF_INVALID"));
    });
  });
  describe("when the first size exceeds the second", () => {
    it("throws ARCHIVE_INDEX_OUT_OF_RANGE", () => {
      expect(() => verifyConsistency(h, 101, 100, proof, old.root, tree.root)).toThrow(
        code("ARCHIVE_INDEX_OUT_OF_RANGE"),
      );
      expect(() => verifyConsistency(h, 2, 1, [], SOME, SOME)).toThrow(code("ARCHIVE_INDEX_OUT_OF_RANGE"));
    });
  });
  describe("for equal sizes and the empty tree (transparency-dev TestVerifyConsistency)", () => {
    it("accepts only empty proofs, equal roots, and the empty root for size 0", () => {
      verifyConsistency(h, 0, 0, [], EMPTY, EMPTY);
      verifyConsistency(h, 0, 1, [], EMPTY, SOME);
      verifyConsistency(h, 1, 1, [], SOME, SOME);
      expect(() => verifyConsistency(h, 1, 1, [], EMPTY, SOME)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyConsistency(h, 0, 0, [EMPTY], EMPTY, EMPTY)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyConsistency(h, 0, 1, [EMPTY], EMPTY, EMPTY)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyConsistency(h, 1, 1, [EMPTY], EMPTY, EMPTY)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyConsistency(h, 0, 5, [], SOME, SOME)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => verifyConsistency(h, 1, 2, [], SOME, SOME)).toThrow(code("ARCHIVE_PROOF_INVALID"));
      expect(() => rootFromConsistencyProof(h, 0, 5, [], EMPTY)).toThrow(code("ARCHIVE_INDEX_OUT_OF_RANGE"));
    });
  });
});
