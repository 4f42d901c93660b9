import { beforeAll, describe, expect, it } from "vitest";
import { createSealer } from "../../src/pki/seal.ts";
import { createSealPki, type SealPki, type TestCert } from "../fixtures/seal-pki.ts";
import { craftSeal, type CraftOptions } from "./craft-cms.ts";
import { CONTENT, SIGNED_AT, checksWith, expectVerdict, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * Signed attributes and algorithm policy: SHA-1, short RSA keys, ESS signing-certificate-v2,
 * content-type and signing-time. The defective seals are hand-built (test/pki/craft-cms.ts) because
 * our sealer never produces them.
 */
let ec: SealPki;
let rsa: SealPki;
let rsa1024: TestCert;
beforeAll(async () => {
  ec = await createSealPki("ecdsa-p256");
  rsa = await createSealPki("rsa-2048");
  rsa1024 = await rsa.issueSeal({ keyAlg: "rsa-1024" });
});

const craft = (pki: SealPki, o: Partial<CraftOptions> = {}) =>
  craftSeal({ cert: pki.seal, chain: [pki.ca.der], content: CONTENT, signingTime: SIGNED_AT, ...o });

describe("verifySeal signed attributes and algorithms", () => {
  describe("when a hand-built seal has no defect", () => {
    it("is TOTAL_PASSED (the crafting itself is sound)", () => {
      expectVerdict(verifyWith(ec, craft(ec)), "TOTAL_PASSED");
      expectVerdict(verifyWith(rsa, craft(rsa)), "TOTAL_PASSED");
      expectVerdict(verifyWith(rsa, craft(rsa, { rsaPadding: "pss" })), "TOTAL_PASSED");
    });
  });

  describe("when the digest algorithm is SHA-1", () => {
    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE for ECDSA", () => {
      const r = verifyWith(ec, craft(ec, { hash: "sha1" }));
      expectVerdict(r, "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
      // The signature itself is sound: the refusal is policy, not crypto.
      expect(r.checks.find((c) => c.id === "CV.signature")?.status).toBe("PASSED");
    });

    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE for RSA", () => {
      expectVerdict(verifyWith(rsa, craft(rsa, { hash: "sha1" })), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
    });

    it("is TOTAL_FAILED/HASH_FAILURE when the content was also changed", () => {
      expectVerdict(
        verifyWith(ec, craft(ec, { hash: "sha1" }), { content: CONTENT.subarray(1) }),
        "TOTAL_FAILED/HASH_FAILURE",
      );
    });
  });

  describe("when the digest algorithm is SM3 (issue 16: accepted by the policy for GB/T 38540 seals only)", () => {
    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE for an ECDSA CAdES seal, as before SM3 had a name", () => {
      const r = verifyWith(ec, craft(ec, { hash: "sm3" }));
      expectVerdict(r, "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
      expect(r.checks.find((c) => c.id === "SAV.digest-algorithm")?.detail).toContain("1.2.156.10197.1.401");
    });
  });

  describe("when a certificate in the chain is signed with SHA-1", () => {
    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE", async () => {
      const signer = await ec.issueSeal({ signatureHash: "SHA-1" });
      expectVerdict(verifyWith(ec, sealWith(ec, signer)), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
    });
  });

  describe("when the signer has an RSA-1024 key", () => {
    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE", () => {
      const cms = sealWith(rsa, rsa1024);
      const r = verifyWith(rsa, cms);
      expectVerdict(r, "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
      expect(r.checks.find((c) => c.id === "CV.signature")?.status).toBe("PASSED");
    });
  });

  describe("when signing-certificate-v2 is missing", () => {
    it("is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND", () => {
      expectVerdict(verifyWith(ec, craft(ec, { omitEss: true })), "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND");
      expectVerdict(verifyWith(rsa, craft(rsa, { omitEss: true })), "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND");
    });
  });

  describe("when signing-certificate-v2 names another certificate", () => {
    it("is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND", async () => {
      const sibling = await ec.issueSeal();
      expectVerdict(verifyWith(ec, craft(ec, { essCert: sibling.der })), "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND");
    });

    it("is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND when it names the issuing CA", () => {
      expectVerdict(verifyWith(ec, craft(ec, { essCert: ec.ca.der })), "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND");
    });
  });

  describe("when the content-type attribute differs from eContentType", () => {
    it("is INDETERMINATE/SIG_CONSTRAINTS_FAILURE", () => {
      const r = verifyWith(ec, craft(ec, { contentTypeAttr: "1.2.840.113549.1.9.16.1.4" }));
      expectVerdict(r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
      expect(checksWith(r, "FAILED").map((c) => c.id)).toEqual(["SAV.content-type"]);
    });
  });

  describe("when the signing-time is outside the signer certificate's validity", () => {
    it("is INDETERMINATE/SIG_CONSTRAINTS_FAILURE for a time before notBefore", () => {
      const r = verifyWith(ec, sealWith(ec, ec.seal, { signingTime: new Date("2024-06-01T00:00:00Z") }));
      expectVerdict(r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
      expect(checksWith(r, "FAILED").map((c) => c.id)).toEqual(["SAV.signing-time"]);
    });

    it("is INDETERMINATE/SIG_CONSTRAINTS_FAILURE for a time after notAfter", () => {
      const r = verifyWith(ec, sealWith(ec, ec.seal, { signingTime: new Date("2036-01-01T00:00:00Z") }), {
        at: new Date("2034-12-31T00:00:00Z"),
      });
      expectVerdict(r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    });

    it("is INDETERMINATE/SIG_CONSTRAINTS_FAILURE for a time after the validation time", () => {
      const r = verifyWith(ec, sealWith(ec, ec.seal, { signingTime: new Date("2026-06-02T00:00:00Z") }));
      expectVerdict(r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    });
  });

  describe("when the signer certificate's key does not match the sealing key", () => {
    it("refuses to create the sealer", () => {
      expect(() => createSealer({ privateKey: ec.ca.key, certificate: ec.seal.der })).toThrow(
        expect.objectContaining({ name: "SealKeyError" }),
      );
    });
  });

  describe("when the seal uses a SHA-384 digest with a P-256 key", () => {
    it("is TOTAL_PASSED (SHA-384 is accepted)", () => {
      const cms = createSealer({
        privateKey: ec.seal.key,
        certificate: ec.seal.der,
        chain: [ec.ca.der],
        hash: "sha384",
      }).seal(CONTENT, SIGNED_AT);
      expectVerdict(verifyWith(ec, cms), "TOTAL_PASSED");
    });
  });
});
