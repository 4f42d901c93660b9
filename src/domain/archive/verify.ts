import { bytesEqual, toHex } from "../bytes.ts";
import { ArchiveError } from "./errors.ts";
import type { LogHasher } from "./hasher.ts";
import { consistencyPlan, inclusionPlan } from "./merkle.ts";
import { assertIndex, assertSize, half, isPowerOfTwo } from "./tree-shape.ts";

/**
 * Proof verification (RFC 9162 §2.1.3.2, §2.1.4.2). Every input is hostile: sizes and indexes are
 * range-checked, each hash must have the hasher's length, and a proof must have exactly the length
 * the tree shape dictates before any hashing starts.
 */

/** RFC 9162 §2.1.3.2 steps 1–4: the root an inclusion proof leads to. Requires 0 ≤ index < size. */
export function rootFromInclusionProof(
  hasher: LogHasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  assertIndex(index, size);
  assertHash(hasher, leafHash, "leaf hash");
  assertProof(hasher, proof, inclusionPlan(index, size).length);
  let [fn, sn, r] = [index, size - 1, leafHash];
  for (const p of proof) {
    if (sn === 0) throw invalid("inclusion proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hasher.hashChildren(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw invalid("inclusion proof is too short");
  return r;
}

/** RFC 9162 §2.1.3.2: throws ARCHIVE_PROOF_INVALID unless `proof` shows leaf `index` in the tree of `size` with `root`. */
export function verifyInclusion(
  hasher: LogHasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const calculated = rootFromInclusionProof(hasher, index, size, leafHash, proof);
  assertRoot(hasher, root, calculated, "root");
}

/**
 * RFC 9162 §2.1.4.2: checks that `proof` leads from `oldRoot` (size m) and returns the root of size n it
 * commits to. Requires 0 < m ≤ n, or m = n = 0; m = n needs an empty proof and returns `oldRoot`.
 */
export function rootFromConsistencyProof(
  hasher: LogHasher,
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
): Uint8Array {
  assertSizes(m, n);
  if (m === 0 && n > 0) throw new ArchiveError("ARCHIVE_INDEX_OUT_OF_RANGE", "the empty tree commits to no later root");
  assertHash(hasher, oldRoot, "first root");
  assertProof(hasher, proof, consistencyPlan(m, n).length);
  if (m === 0) assertRoot(hasher, hasher.emptyRoot(), oldRoot, "first root");
  if (m === n) return oldRoot;
  // Step 2: a power-of-two first tree is itself a node of the path, so the proof omits it.
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof;
  let [fn, sn] = [m - 1, n - 1];
  while (fn % 2 === 1) [fn, sn] = [half(fn), half(sn)];
  let [fr, sr] = [path[0]!, path[0]!];
  for (const c of path.slice(1)) {
    if (sn === 0) throw invalid("consistency proof is too long");
    if (fn % 2 === 1 || fn === sn) {
      [fr, sr] = [hasher.hashChildren(c, fr), hasher.hashChildren(c, sr)];
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hasher.hashChildren(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw invalid("consistency proof is too short");
  assertRoot(hasher, oldRoot, fr, "first root");
  return sr;
}

/** RFC 9162 §2.1.4.2: throws ARCHIVE_PROOF_INVALID unless the tree of size n with `newRoot` extends the tree of size m with `oldRoot`. */
export function verifyConsistency(
  hasher: LogHasher,
  m: number,
  n: number,
  proof: readonly Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): void {
  assertSizes(m, n);
  if (m === 0) {
    // Every tree extends the empty tree (RFC 9162 §2.1.4: the proof is empty); only the roots' form is checked.
    assertProof(hasher, proof, 0);
    assertRoot(hasher, hasher.emptyRoot(), oldRoot, "first root");
    assertHash(hasher, newRoot, "second root");
    return;
  }
  const calculated = rootFromConsistencyProof(hasher, m, n, proof, oldRoot);
  assertRoot(hasher, newRoot, calculated, "second root");
}

function assertSizes(m: number, n: number): void {
  assertSize(n);
  assertSize(m, "first tree size");
  if (m > n) throw new ArchiveError("ARCHIVE_INDEX_OUT_OF_RANGE", `first tree size ${m} exceeds second tree size ${n}`);
}

function invalid(message: string, details?: unknown): ArchiveError {
  return new ArchiveError("ARCHIVE_PROOF_INVALID", message, details === undefined ? undefined : { details });
}

function assertHash(hasher: LogHasher, hash: unknown, what: string): asserts hash is Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== hasher.size)
    throw invalid(`${what} is not a ${hasher.size}-byte hash`);
}

function assertProof(hasher: LogHasher, proof: unknown, expected: number): void {
  if (!Array.isArray(proof)) throw invalid("proof is not a list of hashes");
  if (proof.length !== expected) throw invalid(`proof has ${proof.length} hashes, the tree shape needs ${expected}`);
  for (const [i, p] of proof.entries()) assertHash(hasher, p, `proof hash ${i}`);
}

function assertRoot(hasher: LogHasher, expected: Uint8Array, calculated: Uint8Array, what: string): void {
  assertHash(hasher, expected, what);
  if (!bytesEqual(expected, calculated)) {
    throw invalid(`${what} does not match the proof`, { expected: toHex(expected), calculated: toHex(calculated) });
  }
}
