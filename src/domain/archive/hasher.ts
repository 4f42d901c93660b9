/**
 * The hash function of a Merkle log, injected so the archive core stays free of platform crypto
 * (transparency-dev/merkle `LogHasher`). The RFC 6962/9162 SHA-256 instance lives in `src/pki/merkle-hasher.ts`.
 */
export interface LogHasher {
  /** RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 ‖ d(0)). */
  hashLeaf(entry: Uint8Array): Uint8Array;
  /** RFC 9162 §2.1.1: HASH(0x01 ‖ left ‖ right) for the two subtree hashes. */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array;
  /** RFC 9162 §2.1.1: MTH({}) = HASH(), the root of the empty tree. */
  emptyRoot(): Uint8Array;
  /** Length in bytes of every hash this hasher produces (32 for SHA-256). */
  readonly size: number;
}

/** A plain digest function (SHA-256 for C2SP signed-note key IDs), injected like {@link LogHasher}. */
export type Digest = (data: Uint8Array) => Uint8Array;
