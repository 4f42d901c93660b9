import { beforeAll, describe, expect, it } from "vitest";
import { createSealer } from "../../../src/pki/seal.ts";
import { verifySesSeal } from "../../../src/pki/ses/verify.ts";
import { verifySeal } from "../../../src/pki/verify-seal.ts";
import { AT, CONTENT, SIGNED_AT, sesPki, type SesPki } from "./ses-pki.ts";

/** A small deterministic generator (mulberry32), so a failure names the flip that caused it. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Single-bit flips anywhere in an SES_Signature or SESeal (issue 16): the verdict is never TOTAL_PASSED and
 * verification never throws — the unsigned parts (the signer certificate, the signature values, the
 * algorithm identifiers) included. Seeded and bounded.
 */
describe("SES signatures under single-bit flips", () => {
  let pki: SesPki;
  let seal: Uint8Array;
  let signed: Uint8Array;

  beforeAll(async () => {
    pki = await sesPki();
    seal = pki.seal();
    const key = { privateKey: undefined as never, certificate: pki.holder.der, sm2: pki.holder.key, sesSeal: seal };
    signed = createSealer(key).seal(CONTENT, SIGNED_AT);
  });

  it("never passes a flipped SES_Signature, and never throws", () => {
    const random = prng(16);
    const options = { trust: pki.trust, crls: pki.crls, at: AT };
    const sealEnd = 20 + seal.length; // the unsigned tail (certificate, algorithm, signature) gets its share
    const positions = [
      ...Array.from({ length: 60 }, () => Math.floor(random() * signed.length)),
      ...Array.from({ length: 60 }, () => sealEnd + Math.floor(random() * (signed.length - sealEnd))),
    ];
    for (const at of positions) {
      const bad = signed.slice();
      bad[at]! ^= 1 << Math.floor(random() * 8);
      const r = verifySeal(CONTENT, bad, options);
      expect(r.indication, `flip at ${at}`).not.toBe("TOTAL_PASSED");
    }
  });

  it("never passes a flipped SESeal on its own, and never throws", () => {
    const random = prng(38540);
    for (let i = 0; i < 60; i++) {
      const at = Math.floor(random() * seal.length);
      const bad = seal.slice();
      bad[at]! ^= 1 << Math.floor(random() * 8);
      expect(verifySesSeal(bad, { trust: pki.trust, crls: pki.crls, at: AT }).indication, `flip at ${at}`).not.toBe(
        "TOTAL_PASSED",
      );
    }
    expect(verifySesSeal(seal, { trust: pki.trust, crls: pki.crls, at: AT }).indication).toBe("TOTAL_PASSED");
  });
});
