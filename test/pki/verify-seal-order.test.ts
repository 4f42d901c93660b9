import { beforeAll, describe, it } from "vitest";
import { AT, CrlReason, KeyUsage, createSealPki, type SealPki, type TestCert } from "../fixtures/seal-pki.ts";
import { craftSeal, type CraftOptions } from "./craft-cms.ts";
import { CONTENT, SIGNED_AT, expectVerdict, flip, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * Issue 9 item 9: when a seal has several defects, the verdict names the one EN 319 102-1 §5.3.4
 * reaches first, as DSS does: FC → ISC → (XCV, kept) → CV → XCV → SAV. CV failures are TOTAL_FAILED
 * and outrank certificate problems; certificate problems outrank signature-acceptance ones. Inside
 * XCV: revoked, then out of validity, then chain constraints, then algorithms, then TRY_LATER.
 */
let pki: SealPki;
let expired: TestCert; // notAfter 2026-05-15, before the validation time AT (2026-06-01)
let revokedExpired: TestCert;
const AFTER_EXPIRY = new Date("2026-05-20T00:00:00Z");
beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
  expired = await pki.issueSeal({ notAfter: new Date("2026-05-15T00:00:00Z") });
  revokedExpired = await pki.issueSeal({ notAfter: new Date("2026-05-15T00:00:00Z") });
});

const craft = (cert: TestCert, o: Partial<CraftOptions> = {}) =>
  craftSeal({ cert, chain: [pki.ca.der], content: CONTENT, signingTime: SIGNED_AT, ...o });
const caCrlRevoking = (serial: string, revokedAt: Date) =>
  pki.issueCrl(pki.ca.self, [{ serialNumber: serial, revokedAt, reason: CrlReason.keyCompromise }]);

/** The seal with one bit of its signature value flipped: the value is the seal's last element (no unsigned attributes). */
const badSignature = (cms: Uint8Array) => flip(cms, cms.length - 3);

describe("verifySeal sub-indications in ETSI order (issue 9 item 9)", () => {
  describe("XCV before SAV", () => {
    it("reports an expired signer whose signing-time is after notAfter as OUT_OF_BOUNDS_NOT_REVOKED, not SIG_CONSTRAINTS_FAILURE (issue 9 item 9)", () => {
      const r = verifyWith(pki, sealWith(pki, expired, { signingTime: AFTER_EXPIRY }));
      expectVerdict(r, "INDETERMINATE/OUT_OF_BOUNDS_NOT_REVOKED");
    });

    it("reports it as OUT_OF_BOUNDS_NO_POE when the signer's revocation status is unknown", () => {
      expectVerdict(
        verifyWith(pki, sealWith(pki, expired, { signingTime: AFTER_EXPIRY }), { crls: [pki.crls.root] }),
        "INDETERMINATE/OUT_OF_BOUNDS_NO_POE",
      );
    });

    it("puts an expired signer before a content-type that contradicts eContentType", () => {
      expectVerdict(
        verifyWith(pki, craft(expired, { contentTypeAttr: "1.2.840.113549.1.9.16.1.4" })),
        "INDETERMINATE/OUT_OF_BOUNDS_NOT_REVOKED",
      );
    });

    it("puts an expired signer before a SHA-1 digest (the signature's cryptographic constraints are SAV)", () => {
      expectVerdict(verifyWith(pki, craft(expired, { hash: "sha1" })), "INDETERMINATE/OUT_OF_BOUNDS_NOT_REVOKED");
    });

    it("puts a chain constraint (no nonRepudiation) before a signing-time after the validation time", async () => {
      const signer = await pki.issueSeal({ keyUsage: KeyUsage.digitalSignature });
      expectVerdict(
        verifyWith(pki, sealWith(pki, signer, { signingTime: new Date("2026-06-02T00:00:00Z") })),
        "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE",
      );
    });
  });

  describe("CV before XCV", () => {
    it("is TOTAL_FAILED/HASH_FAILURE for changed content under an expired signer", () => {
      expectVerdict(
        verifyWith(pki, sealWith(pki, expired, { signingTime: AFTER_EXPIRY }), { content: CONTENT.subarray(1) }),
        "TOTAL_FAILED/HASH_FAILURE",
      );
    });

    it("is TOTAL_FAILED/SIG_CRYPTO_FAILURE for a broken signature value under a revoked signer", async () => {
      const signer = await pki.issueSeal();
      const crls = [pki.crls.root, await caCrlRevoking(signer.serial, new Date("2026-03-01T00:00:00Z"))];
      expectVerdict(verifyWith(pki, badSignature(sealWith(pki, signer)), { crls }), "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
    });

    it("is INDETERMINATE/SIGNED_DATA_NOT_FOUND for a detached seal without content under an expired signer", () => {
      expectVerdict(
        verifyWith(pki, sealWith(pki, expired, { signingTime: AFTER_EXPIRY }), { content: null }),
        "INDETERMINATE/SIGNED_DATA_NOT_FOUND",
      );
    });
  });

  describe("ISC identifies a signer named by the SHA-1 signing-certificate v1; SAV judges SHA-1", () => {
    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE for a SHA-1 seal with only the v1 attribute, not NO_SIGNING_CERTIFICATE_FOUND", () => {
      expectVerdict(
        verifyWith(pki, craft(pki.seal, { hash: "sha1", essV1: true })),
        "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE",
      );
    });

    it("is INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE for the v1 attribute alone under SHA-256 (its certHash is SHA-1)", () => {
      expectVerdict(verifyWith(pki, craft(pki.seal, { essV1: true })), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
    });

    it("is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND when the v1 attribute names another certificate", async () => {
      const sibling = await pki.issueSeal();
      expectVerdict(
        verifyWith(pki, craft(pki.seal, { essV1: true, essCert: sibling.der })),
        "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND",
      );
    });
  });

  describe("ISC before CV", () => {
    it("is INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND when signing-certificate-v2 is missing and the content changed", () => {
      expectVerdict(
        verifyWith(pki, craft(pki.seal, { omitEss: true }), { content: CONTENT.subarray(1) }),
        "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND",
      );
    });
  });

  describe("FC before everything", () => {
    it("is TOTAL_FAILED/FORMAT_FAILURE when the message-digest attribute is missing, the signer expired and the content changed", () => {
      // The other FC case, an embedded certificate that does not parse, is in verify-seal-certificates.test.ts.
      const r = verifyWith(pki, craft(expired, { omitMessageDigest: true }), { content: CONTENT.subarray(1) });
      expectVerdict(r, "TOTAL_FAILED/FORMAT_FAILURE");
    });
  });

  describe("inside XCV", () => {
    it("puts revocation before expiry (REVOKED_NO_POE)", async () => {
      const crls = [pki.crls.root, await caCrlRevoking(revokedExpired.serial, new Date("2026-03-01T00:00:00Z"))];
      expectVerdict(verifyWith(pki, sealWith(pki, revokedExpired), { crls }), "INDETERMINATE/REVOKED_NO_POE");
    });

    it("puts a revoked issuing CA before a signer whose revocation data is missing (REVOKED_CA_NO_POE, not TRY_LATER)", async () => {
      const rootCrl = await pki.issueCrl(pki.root.self, [
        { serialNumber: pki.ca.serial, revokedAt: new Date("2026-02-01T00:00:00Z"), reason: CrlReason.cACompromise },
      ]);
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal), { crls: [rootCrl] }), "INDETERMINATE/REVOKED_CA_NO_POE");
    });

    it("puts a chain constraint before missing revocation data (CHAIN_CONSTRAINTS_FAILURE, not TRY_LATER)", async () => {
      const signer = await pki.issueSeal({ keyUsage: KeyUsage.digitalSignature });
      expectVerdict(verifyWith(pki, sealWith(pki, signer), { crls: [] }), "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    });

    it("puts a rejected algorithm before missing revocation data (CRYPTO_CONSTRAINTS_FAILURE, not TRY_LATER)", async () => {
      const signer = await pki.issueSeal({ signatureHash: "SHA-1" });
      expectVerdict(verifyWith(pki, sealWith(pki, signer), { crls: [] }), "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE");
    });

    it("puts expiry before a rejected algorithm", async () => {
      const signer = await pki.issueSeal({ signatureHash: "SHA-1", notAfter: new Date("2026-05-15T00:00:00Z") });
      expectVerdict(verifyWith(pki, sealWith(pki, signer)), "INDETERMINATE/OUT_OF_BOUNDS_NOT_REVOKED");
    });

    it("reports a signer not yet valid at the validation time as OUT_OF_BOUNDS_NO_POE", async () => {
      const signer = await pki.issueSeal({ notBefore: new Date("2026-07-01T00:00:00Z") });
      expectVerdict(verifyWith(pki, sealWith(pki, signer, { signingTime: AT })), "INDETERMINATE/OUT_OF_BOUNDS_NO_POE");
    });
  });
});
