import { CompactRange } from "./compact-range.ts";
import { ArchiveError } from "./errors.ts";
import type { LogHasher } from "./hasher.ts";
import {
  assertIndex,
  assertSize,
  foldRight,
  rangeNodes,
  splitPoint,
  type NodeId,
  type NodeReader,
} from "./tree-shape.ts";

/**
 * Proof generation from stored complete subtrees (RFC 9162 §2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF),
 * never rehashing the log. A proof is first *planned* as node IDs, so a store can fetch them in one
 * batch (sync or async), then *assembled*: each step is one complete subtree, or — on the right edge
 * of the tree — a few of them folded into the root of the incomplete subtree (≤ log2 n hashes).
 */

/** One element of a proof: the complete subtrees whose right-to-left fold is that element's hash. */
export type ProofStep = readonly NodeId[];

/** RFC 9162 §2.1.3.1: the plan of PATH(index, D[0:size]), in proof order (leaf level first). Requires 0 ≤ index < size. */
export function inclusionPlan(index: number, size: number): ProofStep[] {
  assertIndex(index, size);
  const steps: ProofStep[] = [];
  for (let start = 0, m = index, n = size; n > 1; ) {
    const k = splitPoint(n);
    if (m < k) {
      steps.push(rangeNodes(start + k, start + n)); // MTH(D[k:n]) is the sibling
      n = k;
    } else {
      steps.push(rangeNodes(start, start + k)); // MTH(D[0:k]) is the sibling
      [start, m, n] = [start + k, m - k, n - k];
    }
  }
  return steps.reverse();
}

/** RFC 9162 §2.1.4.1: the plan of PROOF(m, D[0:n]); empty when m = 0 or m = n. Requires 0 ≤ m ≤ n. */
export function consistencyPlan(m: number, n: number): ProofStep[] {
  assertSizes(m, n);
  if (m === 0) return [];
  const steps: ProofStep[] = [];
  let [start, complete] = [0, true];
  while (m !== n) {
    const k = splitPoint(n);
    if (m <= k) {
      steps.push(rangeNodes(start + k, start + n));
      n = k;
    } else {
      steps.push(rangeNodes(start, start + k));
      [start, m, n, complete] = [start + k, m - k, n - k, false];
    }
  }
  // SUBPROOF(m, D[m], false) = MTH(D[m]): a left subtree, so always complete.
  if (!complete) steps.push(rangeNodes(start, start + m));
  return steps.reverse();
}

/** Every node a plan needs, for one batched read. */
export function planNodeIds(plan: readonly ProofStep[]): NodeId[] {
  return plan.flat();
}

/** Turns a plan into proof hashes; throws ARCHIVE_NODE_MISSING when the store lacks a node. */
export function assembleProof(hasher: LogHasher, plan: readonly ProofStep[], nodes: NodeReader): Uint8Array[] {
  return plan.map((step) =>
    foldRight(
      hasher,
      step.map((id) => readNode(hasher, nodes, id)),
    ),
  );
}

/** RFC 9162 §2.1.3.1: inclusion proof of leaf `index` in the tree of `size` leaves, from stored nodes. */
export function inclusionProof(hasher: LogHasher, index: number, size: number, nodes: NodeReader): Uint8Array[] {
  return assembleProof(hasher, inclusionPlan(index, size), nodes);
}

/** RFC 9162 §2.1.4.1: consistency proof from tree size m to tree size n, from stored nodes. */
export function consistencyProof(hasher: LogHasher, m: number, n: number, nodes: NodeReader): Uint8Array[] {
  return assembleProof(hasher, consistencyPlan(m, n), nodes);
}

/** RFC 9162 §2.1.1: MTH(D[0:size]) from at most log2(size) stored complete subtrees. */
export function treeRoot(hasher: LogHasher, size: number, nodes: NodeReader): Uint8Array {
  assertSize(size);
  return foldRight(
    hasher,
    rangeNodes(0, size).map((id) => readNode(hasher, nodes, id)),
  );
}

/** RFC 9162 §2.1.1: MTH of a list of entries (hashed as leaves here). */
export function rootOfEntries(hasher: LogHasher, entries: Iterable<Uint8Array>): Uint8Array {
  return rootOfLeafHashes(
    hasher,
    Array.from(entries, (entry) => hasher.hashLeaf(entry)),
  );
}

/** RFC 9162 §2.1.1: MTH of a list of already computed leaf hashes. */
export function rootOfLeafHashes(hasher: LogHasher, leafHashes: readonly Uint8Array[]): Uint8Array {
  return CompactRange.empty(hasher).appendBatch(leafHashes).root;
}

function assertSizes(m: number, n: number): void {
  assertSize(n);
  assertSize(m, "first tree size");
  if (m > n) throw new ArchiveError("ARCHIVE_INDEX_OUT_OF_RANGE", `first tree size ${m} exceeds second tree size ${n}`);
}

function readNode(hasher: LogHasher, nodes: NodeReader, id: NodeId): Uint8Array {
  const hash = nodes.getNode(id.level, id.index);
  if (!(hash instanceof Uint8Array) || hash.length !== hasher.size) {
    throw new ArchiveError("ARCHIVE_NODE_MISSING", `node (level ${id.level}, index ${id.index}) is not stored`, {
      details: id,
    });
  }
  return hash;
}
