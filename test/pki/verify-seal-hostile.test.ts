import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { VerificationReport } from "../../src/pki/report.ts";
import { createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { seededRandom } from "../support/random.ts";
import { CONTENT, expectVerdict, sealWith, verdictOf, verifyWith } from "./seal-harness.ts";

/**
 * Hostile input: truncated, garbage, empty and bit-flipped seals must each yield a non-passing
 * verdict (FORMAT_FAILURE where the bytes are not a SignedData at all), never an exception.
 */
let ec: SealPki;
let rsa: SealPki;
beforeAll(async () => {
  ec = await createSealPki("ecdsa-p256");
  rsa = await createSealPki("rsa-2048");
});

function verdictOrThrow(pki: SealPki, cms: Uint8Array, attached = false): VerificationReport {
  return verifyWith(pki, cms, attached ? { content: null } : {});
}

describe("verifySeal on hostile input", () => {
  describe("when the input is empty", () => {
    it("is TOTAL_FAILED/FORMAT_FAILURE", () => {
      expectVerdict(verifyWith(ec, new Uint8Array()), "TOTAL_FAILED/FORMAT_FAILURE");
    });
  });

  describe("when the input is garbage", () => {
    it("is TOTAL_FAILED/FORMAT_FAILURE for text and random bytes", () => {
      expectVerdict(verifyWith(ec, new TextEncoder().encode("not a seal")), "TOTAL_FAILED/FORMAT_FAILURE");
      for (let i = 0; i < 200; i++)
        expectVerdict(verifyWith(ec, randomBytes(1 + (i % 64) * 13)), "TOTAL_FAILED/FORMAT_FAILURE");
    });

    it("is TOTAL_FAILED/FORMAT_FAILURE for a SEQUENCE of random bytes and huge lengths", () => {
      for (const bytes of [
        [0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        [0x30, 0x80, 0x30, 0x80],
        [0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [0x30, 0x00],
        [0x1f, 0x81, 0x01],
      ]) {
        expectVerdict(verifyWith(ec, Uint8Array.from(bytes)), "TOTAL_FAILED/FORMAT_FAILURE");
      }
    });

    it("is TOTAL_FAILED/FORMAT_FAILURE for the content itself or a certificate", () => {
      expectVerdict(verifyWith(ec, CONTENT), "TOTAL_FAILED/FORMAT_FAILURE");
      expectVerdict(verifyWith(ec, ec.seal.der), "TOTAL_FAILED/FORMAT_FAILURE");
    });
  });

  describe("when a real seal is truncated", () => {
    it("is TOTAL_FAILED/FORMAT_FAILURE at every length", () => {
      const cms = sealWith(ec, ec.seal);
      for (let n = 0; n < cms.length; n++)
        expectVerdict(verifyWith(ec, cms.subarray(0, n)), "TOTAL_FAILED/FORMAT_FAILURE");
    });

    it("is TOTAL_FAILED/FORMAT_FAILURE when bytes are appended", () => {
      const cms = sealWith(ec, ec.seal);
      expectVerdict(verifyWith(ec, Uint8Array.from([...cms, 0])), "TOTAL_FAILED/FORMAT_FAILURE");
    });
  });

  /**
   * Which bytes to flip: every one of the seal's tail (the signature value and, before it, the signed attributes and
   * signer identifier) and a seeded sample of the rest (the certificates); JIEXU_FLIP_OFFSETS=all flips every byte
   * (≈ 18,000 verifications, half a minute on two cores), a number sets the sample's size, JIEXU_FUZZ_SEED its seed.
   */
  const flipOffsets = (length: number): number[] => {
    const setting = process.env.JIEXU_FLIP_OFFSETS ?? "300";
    if (setting === "all") return Array.from({ length }, (_, i) => i);
    const tail = Math.max(0, length - 640);
    const random = seededRandom(Number(process.env.JIEXU_FUZZ_SEED ?? 20_261_202));
    const sample = new Set(Array.from({ length: Number(setting) }, () => Math.floor(random() * tail)));
    return [...[...sample].sort((a, b) => a - b), ...Array.from({ length: length - tail }, (_, i) => tail + i)];
  };

  describe("when a single byte of a real seal is flipped (its tail, and a seeded sample of the rest)", () => {
    const cases = [
      { name: "detached ECDSA", pki: () => ec, attached: false, rsaPadding: undefined },
      { name: "attached ECDSA", pki: () => ec, attached: true, rsaPadding: undefined },
      { name: "detached RSA-PSS", pki: () => rsa, attached: false, rsaPadding: "pss" as const },
      { name: "detached RSA PKCS#1 v1.5", pki: () => rsa, attached: false, rsaPadding: "pkcs1" as const },
    ];
    it.each(cases)("never passes and never throws ($name)", ({ pki, attached, rsaPadding }) => {
      const cms = sealWith(pki(), pki().seal, { attached, ...(rsaPadding ? { rsaPadding } : {}) });
      expectVerdict(verdictOrThrow(pki(), cms, attached), "TOTAL_PASSED");
      const passing: number[] = [];
      const seen = new Set<string>();
      for (const i of flipOffsets(cms.length)) {
        for (const mask of [0x01, 0x80]) {
          const mutated = cms.slice();
          mutated[i]! ^= mask;
          const r = verdictOrThrow(pki(), mutated, attached);
          seen.add(verdictOf(r));
          if (r.indication === "TOTAL_PASSED") passing.push(i);
        }
      }
      expect(passing, `flips at offsets ${passing.join(",")} still pass`).toEqual([]);
      expect([...seen]).toEqual(
        expect.arrayContaining(["TOTAL_FAILED/FORMAT_FAILURE", "TOTAL_FAILED/SIG_CRYPTO_FAILURE"]),
      );
    });
  });
});
