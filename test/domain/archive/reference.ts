import { toHex, type LogHasher, type NodeReader, type StoredNode } from "../../../src/domain/archive/index.ts";

/**
 * The naive reference: RFC 9162 §2.1.1 MTH, §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF written as the
 * RFC states them, recursively over the entry list (transparency-dev/merkle `testonly/reference_test.go`).
 * Slow on purpose; the implementation under test must agree with it.
 */
export function refRoot(h: LogHasher, d: readonly Uint8Array[]): Uint8Array {
  if (d.length === 0) return h.emptyRoot();
  if (d.length === 1) return h.hashLeaf(d[0]!);
  const k = largestPowerOfTwoBelow(d.length);
  return h.hashChildren(refRoot(h, d.slice(0, k)), refRoot(h, d.slice(k)));
}

export function refPath(h: LogHasher, m: number, d: readonly Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  return m < k
    ? [...refPath(h, m, d.slice(0, k)), refRoot(h, d.slice(k))]
    : [...refPath(h, m - k, d.slice(k)), refRoot(h, d.slice(0, k))];
}

export function refProof(h: LogHasher, m: number, d: readonly Uint8Array[]): Uint8Array[] {
  return m === 0 || m === d.length ? [] : refSubproof(h, m, d, true);
}

function refSubproof(h: LogHasher, m: number, d: readonly Uint8Array[], b: boolean): Uint8Array[] {
  const n = d.length;
  if (m === n) return b ? [] : [refRoot(h, d)];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...refSubproof(h, m, d.slice(0, k), b), refRoot(h, d.slice(k))]
    : [...refSubproof(h, m - k, d.slice(k), false), refRoot(h, d.slice(0, k))];
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** An in-memory node store (what storage will persist), with a read counter. */
export class MemoryNodes implements NodeReader {
  readonly map = new Map<string, Uint8Array>();
  reads = 0;
  put(nodes: readonly StoredNode[]): void {
    for (const n of nodes) this.map.set(`${n.level}/${n.index}`, n.hash);
  }
  getNode(level: number, index: number): Uint8Array | undefined {
    this.reads++;
    return this.map.get(`${level}/${index}`);
  }
}

/** Deterministic entries: entry i is "leaf-<i>" plus i % 7 extra bytes. */
export function entries(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf-${i}${"x".repeat(i % 7)}`));
}

/** mulberry32: a small seeded PRNG so random sizes are reproducible. */
export function prng(seed: number): (below: number) => number {
  let a = seed >>> 0;
  return (below) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

export const hexes = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex);
