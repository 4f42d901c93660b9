import { ArchiveError } from "./errors.ts";
import type { LogHasher } from "./hasher.ts";
import {
  assertSize,
  foldRight,
  half,
  rangeNodes,
  type NodeId,
  type NodeReader,
  type StoredNode,
} from "./tree-shape.ts";

/** What an append yields: the new frontier, the nodes to persist with the leaves, and the new root. */
export interface AppendResult {
  /** The frontier after the append; the receiver is unchanged, so a failed commit simply discards this. */
  readonly range: CompactRange;
  /** Index of the first appended leaf (the tree size before the append). */
  readonly firstIndex: number;
  /** Every subtree the append completed: each leaf hash at level 0, then each newly complete parent. */
  readonly nodes: StoredNode[];
  /** RFC 9162 §2.1.1 MTH of the tree after the append (computed when first read). */
  readonly root: Uint8Array;
}

/**
 * The append frontier of an RFC 9162 log (transparency-dev `compact.Range` over [0, size)): the roots
 * of the complete subtrees of the binary decomposition of `size`, largest first — popcount(size) ≤ 53
 * hashes. Appends cost amortised two hashes per leaf and report every completed subtree, so storage
 * holds all complete nodes (like C2SP tlog-tiles) and proofs never rehash the log. Immutable.
 */
export class CompactRange {
  private constructor(
    private readonly hasher: LogHasher,
    /** Number of leaves covered. */
    readonly size: number,
    private readonly hashes: readonly Uint8Array[],
  ) {}

  /** The frontier of the empty tree. */
  static empty(hasher: LogHasher): CompactRange {
    return new CompactRange(hasher, 0, []);
  }

  /** The node IDs of the frontier of a tree of `size` leaves (for a batched read before {@link fromHashes}). */
  static frontierIds(size: number): NodeId[] {
    assertSize(size);
    return rangeNodes(0, size);
  }

  /** Rebuilds a frontier from the hashes of {@link frontierIds}(size), in that order. */
  static fromHashes(hasher: LogHasher, size: number, hashes: readonly Uint8Array[]): CompactRange {
    const ids = CompactRange.frontierIds(size);
    if (hashes.length !== ids.length || hashes.some((h) => !(h instanceof Uint8Array) || h.length !== hasher.size)) {
      throw new ArchiveError(
        "ARCHIVE_NODE_MISSING",
        `a frontier of size ${size} needs ${ids.length} hashes of ${hasher.size} bytes`,
      );
    }
    return new CompactRange(hasher, size, [...hashes]);
  }

  /** Rebuilds a frontier from stored complete subtrees (after a restart). */
  static fromNodes(hasher: LogHasher, size: number, nodes: NodeReader): CompactRange {
    const hashes = CompactRange.frontierIds(size).map((id) => nodes.getNode(id.level, id.index));
    // A missing node shortens the list, which fromHashes refuses as ARCHIVE_NODE_MISSING.
    return CompactRange.fromHashes(
      hasher,
      size,
      hashes.filter((h): h is Uint8Array => h !== undefined),
    );
  }

  /** The frontier hashes, largest subtree first. */
  frontier(): Uint8Array[] {
    return [...this.hashes];
  }

  /** RFC 9162 §2.1.1: MTH(D[0:size]); the empty-tree hash when size is 0. */
  root(): Uint8Array {
    return foldRight(this.hasher, this.hashes);
  }

  /** Appends one leaf hash (HASH(0x00 ‖ entry), RFC 9162 §2.1.1). */
  append(leafHash: Uint8Array): AppendResult {
    return this.appendBatch([leafHash]);
  }

  /** Appends leaf hashes in order, computing the root once for the whole batch. */
  appendBatch(leafHashes: readonly Uint8Array[]): AppendResult {
    const hashes = [...this.hashes];
    const nodes: StoredNode[] = [];
    let size = this.size;
    for (const leaf of leafHashes) {
      if (!(leaf instanceof Uint8Array) || leaf.length !== this.hasher.size) {
        throw new ArchiveError("ARCHIVE_PROOF_INVALID", `leaf hash ${size} is not ${this.hasher.size} bytes`);
      }
      assertSize(size + 1);
      this.mergeLeaf(hashes, nodes, leaf, size++);
    }
    const range = new CompactRange(this.hasher, size, hashes);
    // The root on first read: the store's appends never read it, and it costs popcount(size) − 1 hashes.
    let root: Uint8Array | undefined;
    return {
      range,
      firstIndex: this.size,
      nodes,
      get root() {
        root ??= range.root();
        return root;
      },
    };
  }

  /** Pushes leaf `index`; while the lowest frontier subtree has the same size, the two merge into their parent. */
  private mergeLeaf(hashes: Uint8Array[], nodes: StoredNode[], leaf: Uint8Array, index: number): void {
    let [hash, level, at] = [leaf, 0, index];
    nodes.push({ level, index: at, hash });
    for (let s = index; s % 2 === 1; s = half(s)) {
      hash = this.hasher.hashChildren(hashes.pop()!, hash);
      [level, at] = [level + 1, half(at)];
      nodes.push({ level, index: at, hash });
    }
    hashes.push(hash);
  }
}
