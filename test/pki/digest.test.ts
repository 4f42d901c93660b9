import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/pki/certificate.ts";
import { digestBytes, digestHex } from "../../src/pki/digest.ts";

const createHashDigest = (algorithm: string, data: Uint8Array) => createHash(algorithm).update(data).digest();

/** The one-shot digests (crypto.hash) give createHash's bytes, for every algorithm the seals use and any length. */
describe("one-shot digests", () => {
  it.each(["sha256", "sha384", "sha512", "sm3"])("%s matches createHash", (algorithm) => {
    for (const length of [0, 1, 55, 56, 64, 2048, 70_000]) {
      const data = new Uint8Array(randomBytes(length));
      const expected = createHashDigest(algorithm, data);
      expect(new Uint8Array(digestBytes(algorithm, data))).toEqual(new Uint8Array(expected));
      expect(digestHex(algorithm, data)).toBe(Buffer.from(expected).toString("hex"));
    }
  });

  it("hashes a view over a larger buffer by its own bytes", () => {
    const whole = new Uint8Array(randomBytes(300));
    const view = whole.subarray(17, 290);
    expect(sha256Hex(view)).toBe(Buffer.from(createHashDigest("sha256", view.slice())).toString("hex"));
  });
});
