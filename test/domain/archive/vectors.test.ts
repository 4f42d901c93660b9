import { describe, expect, it } from "vitest";
import {
  ArchiveError,
  CompactRange,
  consistencyProof,
  fromHex,
  inclusionProof,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "../../../src/domain/archive/index.ts";
import { rfc6962Hasher as h } from "../../../src/pki/merkle-hasher.ts";
import { MemoryNodes } from "./reference.ts";

/**
 * Published vectors of transparency-dev/merkle (the RFC 6962 reference tree of the Certificate
 * Transparency Go code): `rfc6962/rfc6962_test.go` (commit 78493b07) for the hasher and
 * `proof/verify_test.go` (commit 02194e9a) for leaves, roots and proofs, copied as published.
 */
const hx = (s: string) => fromHex(s)!;
const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
  hx,
);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const H = {
  a: "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
  b: "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
  c: "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  d: "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  e: "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  f: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  g: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  i: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  j: "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
  k: "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
};
/** [leaf index (0-based; the Go table is 1-based), tree size, proof]. */
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [0, 8, [H.a, H.b, H.c]],
  [5, 8, [H.d, H.e, H.f]],
  [2, 3, [H.g]],
  [1, 5, [H.i, H.b, H.d]],
];
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [1, 8, [H.a, H.b, H.c]],
  [6, 8, [H.j, H.e, H.f]],
  [2, 5, [H.b, H.d]],
  [6, 7, [H.j, H.k, H.f]],
];
const SOME_HASH = hx("abacaba000000000000000000000000000000000000000000060061e00123456");
const EMPTY = hx("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

function store(): MemoryNodes {
  const nodes = new MemoryNodes();
  nodes.put(CompactRange.empty(h).appendBatch(LEAVES.map((l) => h.hashLeaf(l))).nodes);
  return nodes;
}

function expectRejected(run: () => void): void {
  expect(run).toThrow(ArchiveError);
  try {
    run();
  } catch (e) {
    expect(["ARCHIVE_PROOF_INVALID", "ARCHIVE_INDEX_OUT_OF_RANGE"]).toContain((e as ArchiveError).code);
  }
}

const flip = (proof: Uint8Array[], at: number, bit: number) =>
  proof.map((p, i) => (i === at ? p.map((b, k) => (k === 0 ? b ^ bit : b)) : p));

describe("the RFC 6962 SHA-256 hasher (transparency-dev rfc6962_test.go)", () => {
  it("hashes the empty tree, the empty leaf, a leaf and a node to the published values", () => {
    expect(toHex(h.emptyRoot())).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(toHex(h.hashLeaf(new Uint8Array(0)))).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
    expect(toHex(h.hashLeaf(new TextEncoder().encode("L123456")))).toBe(
      "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56",
    );
    const [l, r] = [new TextEncoder().encode("N123"), new TextEncoder().encode("N456")];
    expect(toHex(h.hashChildren(l, r))).toBe("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
  });
});

describe("the 8-leaf reference tree (transparency-dev verify_test.go)", () => {
  it("has the published root at every size 1–8", () => {
    let range = CompactRange.empty(h);
    LEAVES.forEach((leaf, i) => {
      range = range.append(h.hashLeaf(leaf)).range;
      expect(toHex(range.root())).toBe(ROOTS[i]);
    });
  });

  describe.each(INCLUSION)("inclusion of leaf %i in size %i", (index, size, published) => {
    const [root, leaf, proof] = [hx(ROOTS[size - 1]!), h.hashLeaf(LEAVES[index]!), published.map(hx)];
    it("is generated as published and verifies", () => {
      expect(inclusionProof(h, index, size, store()).map(toHex)).toEqual(published);
      verifyInclusion(h, index, size, leaf, proof, root);
    });
    it("is rejected when index, size, leaf, root or any proof hash is wrong, or hashes are added or removed", () => {
      const probes: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
        [index - 1, size, leaf, proof, root],
        [index + 1, size, leaf, proof, root],
        [index ^ 2, size, leaf, proof, root],
        [index, size * 2, leaf, proof, root],
        [index, Math.floor(size / 2), leaf, proof, root],
        [index, size, new TextEncoder().encode("WrongLeaf"), proof, root],
        [index, size, leaf, proof, EMPTY],
        [index, size, leaf, proof, SOME_HASH],
        [index, size, leaf, [...proof, new Uint8Array(0)], root],
        [index, size, leaf, [...proof, root], root],
        [index, size, leaf, [new Uint8Array(0), ...proof], root],
        [index, size, leaf, [root, ...proof], root],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => [
          index,
          size,
          leaf,
          flip(proof, i, 8),
          root,
        ]),
        ...(proof.length > 0
          ? [[index, size, leaf, proof.slice(0, -1), root] as [number, number, Uint8Array, Uint8Array[], Uint8Array]]
          : []),
        ...(proof.length > 1
          ? [
              [index, size, leaf, [proof[0]!, SOME_HASH, ...proof.slice(1)], root] as [
                number,
                number,
                Uint8Array,
                Uint8Array[],
                Uint8Array,
              ],
            ]
          : []),
      ];
      for (const [i, n, l, p, r] of probes) expectRejected(() => verifyInclusion(h, i, n, l, p, r));
    });
  });

  describe.each(CONSISTENCY)("consistency from %i to %i", (m, n, published) => {
    const [root1, root2, proof] = [hx(ROOTS[m - 1]!), hx(ROOTS[n - 1]!), published.map(hx)];
    it("is generated as published and verifies", () => {
      expect(consistencyProof(h, m, n, store()).map(toHex)).toEqual(published);
      verifyConsistency(h, m, n, proof, root1, root2);
    });
    it("is rejected when a size, a root or any proof hash is wrong, or hashes are added or removed", () => {
      const wrong = new TextEncoder().encode("WrongRoot");
      const probes: [number, number, Uint8Array[], Uint8Array, Uint8Array][] =
        proof.length === 0
          ? [
              [m, n, [EMPTY], root1, root2],
              [m, n, [], root1, SOME_HASH],
              [m, n, [], wrong, wrong],
              [m - 1, n, [], root1, root2],
            ]
          : [
              [m - 1, n, proof, root1, root2],
              [m + 1, n, proof, root1, root2],
              [m ^ 2, n, proof, root1, root2],
              [m, n * 2, proof, root1, root2],
              [m, Math.floor(n / 2), proof, root1, root2],
              [m, n, proof, wrong, root2],
              [m, n, proof, root1, wrong],
              [m, n, proof, root2, root1],
              [m, n, [], root1, root2],
              [m, n, [...proof, new Uint8Array(0)], root1, root2],
              [m, n, [...proof, root1], root1, root2],
              [m, n, [...proof, root2], root1, root2],
              [m, n, [new Uint8Array(0), ...proof], root1, root2],
              [m, n, [root1, ...proof], root1, root2],
              [m, n, [root2, ...proof], root1, root2],
              [m, n, [proof[0]!, ...proof], root1, root2],
              [m, n, proof.slice(0, -1), root1, root2],
              ...proof.map((_, i): [number, number, Uint8Array[], Uint8Array, Uint8Array] => [
                m,
                n,
                flip(proof, i, 16),
                root1,
                root2,
              ]),
            ];
      for (const [a, b, p, r1, r2] of probes) expectRejected(() => verifyConsistency(h, a, b, p, r1, r2));
    });
  });
});
