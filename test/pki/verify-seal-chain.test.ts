import { beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "../../src/pki/issue.ts";
import { createTrustStore } from "../../src/pki/trust.ts";
import { AT, CrlReason, KeyUsage, T0, T_END, createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { SIGNED_AT, checksWith, expectVerdict, sealWith, verifyWith } from "./seal-harness.ts";

/** Chain building and X.509 validation: revocation, validity, key usage, path length, backtracking. */
let pki: SealPki;
beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
});

const crlWithSealRevoked = async (serial: string, revokedAt: Date) =>
  pki.issueCrl(pki.ca.self, [{ serialNumber: serial, revokedAt, reason: CrlReason.keyCompromise }]);

describe("verifySeal chain validation", () => {
  describe("when the signer is revoked before the validation time", () => {
    it("is INDETERMINATE/REVOKED_NO_POE", async () => {
      const signer = await pki.issueSeal();
      const crls = [pki.crls.root, await crlWithSealRevoked(signer.serial, new Date("2026-03-01T00:00:00Z"))];
      expectVerdict(verifyWith(pki, sealWith(pki, signer), { crls }), "INDETERMINATE/REVOKED_NO_POE");
    });
  });

  describe("when the issuing CA is revoked", () => {
    it("is INDETERMINATE/REVOKED_CA_NO_POE", async () => {
      const rootCrl = await pki.issueCrl(pki.root.self, [
        { serialNumber: pki.ca.serial, revokedAt: new Date("2026-02-01T00:00:00Z"), reason: CrlReason.cACompromise },
      ]);
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal), { crls: [rootCrl, pki.crls.ca] }),
        "INDETERMINATE/REVOKED_CA_NO_POE",
      );
    });
  });

  describe("when the signer is revoked only after the validation time", () => {
    it("is TOTAL_PASSED", async () => {
      const signer = await pki.issueSeal();
      const crls = [pki.crls.root, await crlWithSealRevoked(signer.serial, new Date("2027-01-01T00:00:00Z"))];
      expectVerdict(verifyWith(pki, sealWith(pki, signer), { crls }), "TOTAL_PASSED");
    });
  });

  describe("when the signer certificate expired before the validation time", () => {
    it("is INDETERMINATE/OUT_OF_BOUNDS_*", async () => {
      const signer = await pki.issueSeal({ notAfter: new Date("2026-05-15T00:00:00Z") });
      const r = verifyWith(pki, sealWith(pki, signer));
      expectVerdict(r, ["INDETERMINATE/OUT_OF_BOUNDS_NOT_REVOKED", "INDETERMINATE/OUT_OF_BOUNDS_NO_POE"]);
    });

    it("is INDETERMINATE/OUT_OF_BOUNDS_NO_POE when its revocation status is unknown (not TRY_LATER: waiting cannot help)", async () => {
      const signer = await pki.issueSeal({ notAfter: new Date("2026-05-15T00:00:00Z") });
      expectVerdict(
        verifyWith(pki, sealWith(pki, signer), { crls: [pki.crls.root] }),
        "INDETERMINATE/OUT_OF_BOUNDS_NO_POE",
      );
    });
  });

  describe("when the signer certificate is not yet valid", () => {
    // EN 319 102-1: OUT_OF_BOUNDS_NO_POE covers "expired or not yet valid"; NOT_YET_VALID is a
    // TOTAL_FAILED that needs a proof of existence before notBefore (issue 9 item 9).
    it("is INDETERMINATE/OUT_OF_BOUNDS_NO_POE", async () => {
      const notBefore = new Date("2026-06-01T00:01:00Z");
      const signer = await pki.issueSeal({ notBefore });
      const r = verifyWith(pki, sealWith(pki, signer, { signingTime: notBefore }));
      expectVerdict(r, "INDETERMINATE/OUT_OF_BOUNDS_NO_POE");
    });

    it("also fails the signing-time check when the seal claims a time before notBefore, and XCV decides", async () => {
      const signer = await pki.issueSeal({ notBefore: new Date("2027-01-01T00:00:00Z") });
      const r = verifyWith(pki, sealWith(pki, signer, { signingTime: AT }));
      expectVerdict(r, "INDETERMINATE/OUT_OF_BOUNDS_NO_POE");
      expect(checksWith(r, "FAILED").map((c) => c.subIndication)).toEqual(
        expect.arrayContaining(["SIG_CONSTRAINTS_FAILURE", "OUT_OF_BOUNDS_NO_POE"]),
      );
    });
  });

  describe("when the signer lacks nonRepudiation", () => {
    it("is INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE", async () => {
      const signer = await pki.issueSeal({ keyUsage: KeyUsage.digitalSignature });
      expectVerdict(verifyWith(pki, sealWith(pki, signer)), "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    });
  });

  describe("when a CA certificate under the pathLen-0 issuing CA is used as an intermediate", () => {
    it("is INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE", async () => {
      const sub = await pki.issueSeal({ ca: {}, keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign });
      const signer = await pki.issueSeal({ issuer: sub.self });
      const subCrl = await pki.issueCrl(sub.self, []);
      const r = verifyWith(pki, sealWith(pki, signer, { chain: [sub.der, pki.ca.der] }), {
        crls: [pki.crls.root, pki.crls.ca, subCrl],
      });
      expectVerdict(r, "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
      expect(r.chain).toHaveLength(4);
    });
  });

  describe("when the signer's certificate is signed by a CA that is not a CA", () => {
    it("is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND or CHAIN_CONSTRAINTS_FAILURE", async () => {
      const notCa = await pki.issueSeal();
      const signer = await pki.issueSeal({ issuer: notCa.self });
      const r = verifyWith(pki, sealWith(pki, signer, { chain: [notCa.der, pki.ca.der] }), {
        crls: [pki.crls.root, pki.crls.ca, await pki.issueCrl(notCa.self, [])],
      });
      expectVerdict(r, "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    });
  });

  describe("when two issuing CA certificates share the subject name and key", () => {
    let expiredCa: Uint8Array;
    beforeAll(async () => {
      // The same CA key re-certified: an old certificate that expired before AT, and the current one.
      const cert = await issueCertificate(
        {
          subject: pki.ca.self.certificate.subject,
          serialNumber: "0badca",
          notBefore: T0,
          notAfter: new Date("2025-12-31T00:00:00Z"),
          publicKey: await pki.ca.self.certificate.publicKey.export(),
          ca: { pathLength: 0 },
          keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign,
        },
        pki.root.self,
      );
      expiredCa = new Uint8Array(cert.rawData);
    });

    it("backtracks past the expired candidate tried first and is TOTAL_PASSED", () => {
      // Trust-store intermediates are tried before embedded certificates.
      const trust = createTrustStore([pki.root.der], [expiredCa]);
      const r = verifyWith(pki, sealWith(pki, pki.seal, { chain: [pki.ca.der] }), { trust });
      expectVerdict(r, "TOTAL_PASSED");
      expect(r.chain?.[1]).not.toBe(Buffer.from(expiredCa).toString("hex"));
    });

    it("is TOTAL_PASSED with both candidates embedded, in either order", () => {
      for (const chain of [
        [expiredCa, pki.ca.der],
        [pki.ca.der, expiredCa],
      ]) {
        expectVerdict(verifyWith(pki, sealWith(pki, pki.seal, { chain })), "TOTAL_PASSED");
      }
    });

    it("is INDETERMINATE/OUT_OF_BOUNDS_NO_POE when only the expired candidate is available", () => {
      const r = verifyWith(pki, sealWith(pki, pki.seal, { chain: [expiredCa] }), {
        trust: createTrustStore([pki.root.der]),
      });
      expectVerdict(r, "INDETERMINATE/OUT_OF_BOUNDS_NO_POE");
    });
  });

  describe("when the seal certificate's validity ends at T_END", () => {
    it("passes at the last second (RFC 5280 validity is inclusive)", () => {
      const crl = [pki.crls.root, pki.crls.ca];
      const r = verifyWith(pki, sealWith(pki, pki.seal, { signingTime: SIGNED_AT }), { crls: crl, at: T_END });
      expectVerdict(r, "TOTAL_PASSED");
    });
  });
});
