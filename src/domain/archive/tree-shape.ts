import { ArchiveError } from "./errors.ts";
import type { LogHasher } from "./hasher.ts";

/**
 * Tree-shape arithmetic for RFC 9162 §2.1 trees. Sizes and indexes are JavaScript numbers up to
 * 2^53 − 1, so halving uses division, never the 32-bit `>>` operators.
 */

/**
 * A complete (perfect) subtree: `level` L and `index` i cover leaves [i·2^L, (i+1)·2^L). Level 0 nodes
 * are the leaf hashes. Such a node never changes once its last leaf is appended, so storage keeps it
 * forever (like the hashes of C2SP tlog-tiles).
 */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** A complete subtree with its hash: what storage persists. */
export interface StoredNode extends NodeId {
  readonly hash: Uint8Array;
}

/** Read access to stored complete subtree hashes; undefined when the store does not hold the node. */
export interface NodeReader {
  getNode(level: number, index: number): Uint8Array | undefined;
}

/** ⌊x / 2⌋, exact up to 2^53. */
export const half = (x: number): number => Math.floor(x / 2);

/** True for 1, 2, 4, 8, … */
export const isPowerOfTwo = (x: number): boolean => x >= 1 && 2 ** floorLog2(x) === x;

/** ⌊log2 x⌋ for x ≥ 1, corrected where `Math.log2` rounds up near 2^53. */
export function floorLog2(x: number): number {
  let l = Math.floor(Math.log2(x));
  if (2 ** l > x) l--;
  if (2 ** (l + 1) <= x) l++;
  return l;
}

/** RFC 9162 §2.1.1: k, the largest power of two smaller than n (n ≥ 2). */
export const splitPoint = (n: number): number => 2 ** floorLog2(n - 1);

/** Throws ARCHIVE_INDEX_OUT_OF_RANGE unless `size` is a safe integer ≥ 0. */
export function assertSize(size: number, what = "tree size"): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ArchiveError("ARCHIVE_INDEX_OUT_OF_RANGE", `${what} ${String(size)} is not an integer in [0, 2^53)`);
  }
}

/** Throws ARCHIVE_INDEX_OUT_OF_RANGE unless 0 ≤ index < size (both safe integers). */
export function assertIndex(index: number, size: number): void {
  assertSize(size);
  assertSize(index, "leaf index");
  if (index >= size)
    throw new ArchiveError("ARCHIVE_INDEX_OUT_OF_RANGE", `leaf index ${index} is not below tree size ${size}`);
}

/**
 * The complete subtrees covering leaves [begin, end), left to right, each as large as alignment allows.
 * When `begin` is a multiple of a power of two ≥ end − begin (every range a proof or root needs), the
 * sizes strictly decrease, and folding them right to left gives MTH(D[begin:end]) (RFC 9162 §2.1.1).
 */
export function rangeNodes(begin: number, end: number): NodeId[] {
  const out: NodeId[] = [];
  while (begin < end) {
    let level = floorLog2(end - begin);
    while (begin % 2 ** level !== 0) level--;
    out.push({ level, index: begin / 2 ** level });
    begin += 2 ** level;
  }
  return out;
}

/** MTH of adjacent, decreasing complete subtrees: HASH(0x01 ‖ h0 ‖ HASH(0x01 ‖ h1 ‖ …)), folded right to left. */
export function foldRight(hasher: LogHasher, hashes: readonly Uint8Array[]): Uint8Array {
  let acc = hashes[hashes.length - 1];
  if (acc === undefined) return hasher.emptyRoot();
  for (let i = hashes.length - 2; i >= 0; i--) acc = hasher.hashChildren(hashes[i]!, acc);
  return acc;
}
