import { beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/pki/issue.ts";
import { DEFAULT_POLICY, OFFLINE_DEV_POLICY, policyWith } from "../../src/pki/policy.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { AT, CrlReason, T0, createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { checksWith, expectVerdict, sealWith, verifyWith } from "./seal-harness.ts";

/**
 * Revocation data (presence, freshness, issuer signature) and the chain-verdict cache: a verdict
 * computed under one trust store, CRL set, policy or time must never answer for another.
 */
let pki: SealPki;
let other: SealPki;
beforeAll(async () => {
  pki = await createSealPki("ecdsa-p256");
  other = await createSealPki("ecdsa-p256");
});

describe("verifySeal revocation data", () => {
  describe("when no revocation data is supplied under the default policy", () => {
    it("is INDETERMINATE/TRY_LATER", () => {
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal), { crls: [] }), "INDETERMINATE/TRY_LATER");
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal), { crls: [], policy: DEFAULT_POLICY }),
        "INDETERMINATE/TRY_LATER",
      );
    });

    it("is INDETERMINATE/TRY_LATER when only the root's CRL is supplied", () => {
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root] }), "INDETERMINATE/TRY_LATER");
    });
  });

  describe("when no revocation data is supplied under OFFLINE_DEV_POLICY", () => {
    it("is TOTAL_PASSED with a WARNING check per missing CRL", () => {
      const r = verifyWith(pki, sealWith(pki, pki.seal), { crls: [], policy: OFFLINE_DEV_POLICY });
      expectVerdict(r, "TOTAL_PASSED");
      expect(checksWith(r, "WARNING").map((c) => c.id.split("[")[0])).toEqual(["RFC.revocation", "RFC.revocation"]);
      expect(r.policy.revocation).toBe("optional");
    });

    it("still refuses a revoked signer", async () => {
      const signer = await pki.issueSeal();
      const crl = await pki.issueCrl(pki.ca.self, [
        { serialNumber: signer.serial, revokedAt: T0, reason: CrlReason.keyCompromise },
      ]);
      expectVerdict(
        verifyWith(pki, sealWith(pki, signer), { crls: [crl], policy: OFFLINE_DEV_POLICY }),
        "INDETERMINATE/REVOKED_NO_POE",
      );
    });
  });

  describe("when the issuing CA's CRL is stale (nextUpdate before the validation time)", () => {
    it("is INDETERMINATE/TRY_LATER", async () => {
      const stale = await pki.issueCrl(pki.ca.self, [], {
        thisUpdate: T0,
        nextUpdate: new Date("2026-05-01T00:00:00Z"),
      });
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root, stale] }),
        "INDETERMINATE/TRY_LATER",
      );
    });

    it("is TOTAL_PASSED when a fresh CRL is supplied next to the stale one", async () => {
      const stale = await pki.issueCrl(pki.ca.self, [], {
        thisUpdate: T0,
        nextUpdate: new Date("2026-05-01T00:00:00Z"),
      });
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root, stale, pki.crls.ca] }),
        "TOTAL_PASSED",
      );
    });
  });

  describe("when the CRL is signed by the wrong key", () => {
    it("is INDETERMINATE/TRY_LATER", async () => {
      const forged = await pki.issueCrl(
        { ...pki.ca.self, privateKey: (await generateKeyPair("ecdsa-p256")).privateKey },
        [],
      );
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root, forged] }),
        "INDETERMINATE/TRY_LATER",
      );
    });

    it("is INDETERMINATE/TRY_LATER when it comes from another CA of the same name", async () => {
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal), { crls: [pki.crls.root, other.crls.ca] }),
        "INDETERMINATE/TRY_LATER",
      );
    });
  });

  describe("when a CRL input does not parse", () => {
    it("is ignored and the verdict rests on the others", () => {
      const store = createRevocationStore([new Uint8Array([0x30, 0x03, 0x02, 0x01]), pki.crls.root, pki.crls.ca]);
      expect(store.rejected).toHaveLength(1);
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal), { crls: store }), "TOTAL_PASSED");
    });
  });
});

describe("verifySeal chain-verdict cache", () => {
  describe("when the same seal is verified with a new CRL set that revokes the signer", () => {
    it("is not passed", async () => {
      const signer = await pki.issueSeal();
      const cms = sealWith(pki, signer);
      expectVerdict(verifyWith(pki, cms), "TOTAL_PASSED");
      const revoked = await pki.issueCrl(pki.ca.self, [
        { serialNumber: signer.serial, revokedAt: T0, reason: CrlReason.keyCompromise },
      ]);
      expectVerdict(
        verifyWith(pki, cms, { crls: createRevocationStore([pki.crls.root, revoked]) }),
        "INDETERMINATE/REVOKED_NO_POE",
      );
      expectVerdict(verifyWith(pki, cms), "TOTAL_PASSED");
    });
  });

  describe("when the same seal is verified against another trust store", () => {
    it("is not passed", () => {
      const cms = sealWith(pki, pki.seal);
      expectVerdict(verifyWith(pki, cms), "TOTAL_PASSED");
      expectVerdict(
        verifyWith(pki, cms, { trust: createTrustStore([other.root.der]) }),
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND",
      );
    });
  });

  describe("when a signer that passed seals again without the issuing CA embedded", () => {
    it("is INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND, as on first sight", () => {
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal)), "TOTAL_PASSED");
      expectVerdict(
        verifyWith(pki, sealWith(pki, pki.seal, { chain: [] })),
        "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND",
      );
    });

    it("is TOTAL_PASSED when the trust store knows the issuing CA", () => {
      const trust = createTrustStore([pki.root.der], [pki.ca.der]);
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal), { trust }), "TOTAL_PASSED");
      expectVerdict(verifyWith(pki, sealWith(pki, pki.seal, { chain: [] }), { trust }), "TOTAL_PASSED");
    });
  });

  describe("when the same seal passed under the offline policy", () => {
    it("is TRY_LATER under the default policy and under an equal-looking copy", () => {
      const cms = sealWith(pki, pki.seal);
      expectVerdict(verifyWith(pki, cms, { crls: [], policy: OFFLINE_DEV_POLICY }), "TOTAL_PASSED");
      const noCrls = createRevocationStore([]);
      expectVerdict(verifyWith(pki, cms, { crls: noCrls, policy: DEFAULT_POLICY }), "INDETERMINATE/TRY_LATER");
      expectVerdict(verifyWith(pki, cms, { crls: noCrls, policy: policyWith({}) }), "INDETERMINATE/TRY_LATER");
    });

    it("is CRYPTO_CONSTRAINTS_FAILURE under a stricter key-size policy", () => {
      const cms = sealWith(pki, pki.seal);
      expectVerdict(verifyWith(pki, cms), "TOTAL_PASSED");
      expectVerdict(
        verifyWith(pki, cms, { policy: policyWith({ acceptedCurves: ["secp384r1"] }) }),
        "INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE",
      );
    });
  });

  describe("when the same seal is verified at a later time", () => {
    it("is not passed after the CRL's nextUpdate or a later revocation", async () => {
      const signer = await pki.issueSeal();
      const cms = sealWith(pki, signer);
      const crls = createRevocationStore([
        pki.crls.root,
        await pki.issueCrl(pki.ca.self, [
          { serialNumber: signer.serial, revokedAt: new Date("2027-01-01T00:00:00Z"), reason: CrlReason.superseded },
        ]),
      ]);
      expectVerdict(verifyWith(pki, cms, { crls }), "TOTAL_PASSED");
      expectVerdict(
        verifyWith(pki, cms, { crls, at: new Date("2027-06-01T00:00:00Z") }),
        "INDETERMINATE/REVOKED_NO_POE",
      );
      expectVerdict(verifyWith(pki, cms, { crls, at: AT }), "TOTAL_PASSED");
      expectVerdict(verifyWith(pki, cms, { crls, at: new Date("2036-01-01T00:00:00Z") }), [
        "INDETERMINATE/OUT_OF_BOUNDS_NO_POE",
        "INDETERMINATE/TRY_LATER",
        "INDETERMINATE/REVOKED_NO_POE",
      ]);
    });

    it("is not passed before the chain's validity begins", () => {
      const cms = sealWith(pki, pki.seal, { signingTime: new Date("2025-01-02T00:00:00Z") });
      expectVerdict(verifyWith(pki, cms, { at: AT }), "TOTAL_PASSED");
      expect(verifyWith(pki, cms, { at: new Date("2024-12-31T00:00:00Z") }).indication).toBe("INDETERMINATE");
    });
  });
});
