import { beforeAll, describe, expect, it } from "vitest";
import { createTrustStore } from "../../src/pki/trust.ts";
import { createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import type { KeyAlgorithm } from "../../src/pki/issue.ts";
import { CONTENT, expectVerdict, flip, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * The core verdicts for every algorithm the sealer produces: a good seal passes (detached and
 * attached); changed content, changed signature bytes and an unknown root each get their code.
 */
const pkis = new Map<KeyAlgorithm, SealPki>();
beforeAll(async () => {
  for (const alg of ["ecdsa-p256", "ecdsa-p384", "rsa-2048"] as const) pkis.set(alg, await createSealPki(alg));
});

const CASES: { name: string; alg: KeyAlgorithm; rsaPadding?: "pkcs1" | "pss" }[] = [
  { name: "ECDSA P-256", alg: "ecdsa-p256" },
  { name: "ECDSA P-384", alg: "ecdsa-p384" },
  { name: "RSA-2048 PKCS#1 v1.5", alg: "rsa-2048", rsaPadding: "pkcs1" },
  { name: "RSA-2048 PSS", alg: "rsa-2048", rsaPadding: "pss" },
];

describe("verifySeal", () => {
  describe.each(CASES)("with an $name seal", ({ alg, rsaPadding }) => {
    const pki = () => pkis.get(alg)!;
    const seal = (attached = false) => sealWith(pki(), pki().seal, { attached, ...(rsaPadding ? { rsaPadding } : {}) });

    describe("when the seal is good and detached", () => {
      it("is TOTAL_PASSED", () => {
        const r = verifyWith(pki(), seal());
        expectVerdict(r, "TOTAL_PASSED");
        expect(r.checks.every((c) => c.status === "PASSED")).toBe(true);
        expect(r.signer?.agencyIds).toEqual(["440000"]);
        expect(r.chain).toHaveLength(3);
      });

      it("is still TOTAL_PASSED on the second verification (cached chain)", () => {
        const cms = seal();
        verifyWith(pki(), cms);
        expectVerdict(verifyWith(pki(), cms), "TOTAL_PASSED");
      });
    });

    describe("when the seal is good and attached", () => {
      it("is TOTAL_PASSED without separate content", () => {
        expectVerdict(verifyWith(pki(), seal(true), { content: null }), "TOTAL_PASSED");
      });

      it("is TOTAL_PASSED when the same content is also supplied", () => {
        expectVerdict(verifyWith(pki(), seal(true)), "TOTAL_PASSED");
      });
    });

    describe("when the content changed", () => {
      it("is TOTAL_FAILED/HASH_FAILURE for a detached seal", () => {
        expectVerdict(verifyWith(pki(), seal(), { content: flip(CONTENT, 100) }), "TOTAL_FAILED/HASH_FAILURE");
      });

      it("is TOTAL_FAILED/HASH_FAILURE when it differs from the attached content", () => {
        expectVerdict(verifyWith(pki(), seal(true), { content: flip(CONTENT, 7) }), "TOTAL_FAILED/HASH_FAILURE");
      });

      it("is TOTAL_FAILED/HASH_FAILURE when the attached content itself was changed", () => {
        const cms = seal(true);
        const at = Buffer.from(cms).indexOf(Buffer.from(CONTENT.subarray(0, 32)));
        expectVerdict(verifyWith(pki(), flip(cms, at + 40), { content: null }), "TOTAL_FAILED/HASH_FAILURE");
      });
    });

    describe("when signature bytes changed", () => {
      it("is TOTAL_FAILED/SIG_CRYPTO_FAILURE", () => {
        const cms = seal();
        expectVerdict(verifyWith(pki(), flip(cms, cms.length - 1)), "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
        expectVerdict(verifyWith(pki(), flip(cms, cms.length - 20, 0x80)), "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
      });
    });

    describe("when the root is unknown", () => {
      it("is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND", () => {
        const other = alg === "ecdsa-p256" ? pkis.get("ecdsa-p384")! : pkis.get("ecdsa-p256")!;
        const r = verifyWith(pki(), seal(), { trust: createTrustStore([other.root.der]) });
        expectVerdict(r, "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
      });

      it("is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND when only the issuing CA is embedded and trusted as intermediate of another root", () => {
        const other = alg === "ecdsa-p256" ? pkis.get("ecdsa-p384")! : pkis.get("ecdsa-p256")!;
        const r = verifyWith(pki(), seal(), { trust: createTrustStore([other.root.der], [pki().ca.der]) });
        expectVerdict(r, "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
      });
    });
  });
});
