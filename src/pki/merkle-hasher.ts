import { createHash } from "node:crypto";
import type { LogHasher } from "../domain/archive/hasher.ts";

/**
 * RFC 6962 §2.1 / RFC 9162 §2.1.1 hashing with SHA-256 (transparency-dev/merkle `rfc6962.DefaultHasher`):
 * leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right), empty tree = SHA-256(""). The
 * domain-separation prefixes keep a leaf from ever colliding with an interior node (second preimages).
 */
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);
const SLAB_SIZE = 8192;

// Digests are copied into shared 8 KB slabs (as Node pools small Buffers): a log keeps millions of
// 32-byte hashes alive, and one ArrayBuffer per hash makes every full GC walk millions of buffers.
let slab = new Uint8Array(0);
let used = 0;

function keep(digest: Uint8Array): Uint8Array {
  if (used + digest.length > slab.length) [slab, used] = [new Uint8Array(Math.max(SLAB_SIZE, digest.length)), 0];
  const out = slab.subarray(used, (used += digest.length));
  out.set(digest);
  return out;
}

/** SHA-256 of `data` as a plain Uint8Array; the `Digest` the archive core injects for C2SP signed-note key IDs. */
export function sha256(data: Uint8Array): Uint8Array {
  return keep(createHash("sha256").update(data).digest());
}

const EMPTY_ROOT = sha256(new Uint8Array(0));

/** The RFC 6962/9162 SHA-256 log hasher. */
export const rfc6962Hasher: LogHasher = {
  size: 32,
  hashLeaf: (entry) => keep(createHash("sha256").update(LEAF_PREFIX).update(entry).digest()),
  hashChildren: (left, right) => keep(createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest()),
  emptyRoot: () => EMPTY_ROOT.slice(),
};
