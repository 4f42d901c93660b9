import { hash } from "node:crypto";

/**
 * One-shot digests through `crypto.hash` (Node ≥ 20.12, and workerd's node:crypto), which skips the Hash object
 * createHash builds for every call: ≈1.5 µs less per digest of a 2 KB document, and the ingest path takes four
 * (issue 12). test/pki/digest.test.ts holds it to createHash's bytes.
 */

/** Lower-case hex of a digest of `data` (`sha256`, `sha384`, `sm3`, … as createHash names them). */
export function digestHex(algorithm: string, data: Uint8Array): string {
  return hash(algorithm, data, "hex");
}

/** The digest's bytes. */
export function digestBytes(algorithm: string, data: Uint8Array): Uint8Array {
  return hash(algorithm, data, "buffer");
}
