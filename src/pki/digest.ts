import * as nodeCrypto from "node:crypto";

/**
 * One-shot digests. Node ≥ 20.12 has `crypto.hash`, which skips the Hash object createHash builds for every call:
 * ≈1.5 µs less per digest of a 2 KB document, and the ingest path takes four (issue 12). workerd's node:crypto
 * has it too (over createHash); a runtime without it gets createHash. test/pki/digest.test.ts holds the two to the
 * same bytes.
 */
type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: "hex" | "buffer") => string | Uint8Array;

const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash;

/** Lower-case hex of a digest of `data` (`sha256`, `sha384`, `sm3`, … as createHash names them). */
export function digestHex(algorithm: string, data: Uint8Array): string {
  return oneShot
    ? (oneShot(algorithm, data, "hex") as string)
    : nodeCrypto.createHash(algorithm).update(data).digest("hex");
}

/** The digest's bytes. */
export function digestBytes(algorithm: string, data: Uint8Array): Uint8Array {
  return oneShot
    ? (oneShot(algorithm, data, "buffer") as Uint8Array)
    : nodeCrypto.createHash(algorithm).update(data).digest();
}

/** The slow path, for the differential test. */
export function createHashDigest(algorithm: string, data: Uint8Array): Uint8Array {
  return nodeCrypto.createHash(algorithm).update(data).digest();
}
