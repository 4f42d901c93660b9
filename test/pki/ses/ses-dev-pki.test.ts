import { describe, expect, it } from "vitest";
import { createDevPki } from "../../../src/dev/pki.ts";
import { OFFLINE_DEV_POLICY } from "../../../src/pki/policy.ts";
import { createSealer } from "../../../src/pki/seal.ts";
import { makeSeal } from "../../../src/pki/ses/make-seal.ts";
import { verifySesSeal } from "../../../src/pki/ses/verify.ts";
import { readSm2PrivateKey } from "../../../src/pki/sm2.ts";
import { createRevocationStore, createTrustStore } from "../../../src/pki/trust.ts";
import { verifySeal } from "../../../src/pki/verify-seal.ts";
import { PICTURE } from "./ses-pki.ts";

const NOW = new Date("2026-03-01T00:00:00Z");
const key = (pem: string) => readSm2PrivateKey(new TextEncoder().encode(pem));

/**
 * The SM2 development PKI (`jiexu pki init --alg sm2`) carries what GB/T 38540 needs (issue 16): its seal maker
 * makes a seal for an agency's seal certificate, the agency signs with it, and the signature verifies under the
 * development root with its CRLs; the superseded (revoked) seal certificate does not.
 */
describe("SES with the SM2 development PKI", () => {
  it("makes a seal with the dev maker, signs with an agency's key and verifies under the dev root", async () => {
    const dev = await createDevPki({ algorithm: "sm2", now: NOW });
    const agency = dev.agencies[0]!;
    const superseded = dev.revoked[0]!.credential;
    const seal = makeSeal({
      makerKey: key(dev.maker!.privateKeyPem),
      makerCertificate: dev.maker!.certificateDer,
      holderCertificates: [agency.seal.certificateDer, superseded.certificateDer],
      name: agency.spec.name,
      picture: PICTURE,
      createdAt: NOW,
      validStart: NOW,
      validEnd: new Date("2027-03-01T00:00:00Z"),
    });
    const sealer = createSealer({
      privateKey: undefined as never,
      certificate: agency.seal.certificateDer,
      sm2: key(agency.seal.privateKeyPem),
      sesSeal: seal,
    });
    expect(sealer.agencyIds).toEqual([agency.spec.id]);
    const content = new TextEncoder().encode("联系函");
    const signed = sealer.seal(content, new Date("2026-03-02T00:00:00Z"));
    const options = {
      trust: createTrustStore([dev.root.certificateDer], [dev.issuing.certificateDer]),
      crls: createRevocationStore([dev.root.crl.der, dev.issuing.crl.der]),
      at: new Date("2026-03-03T00:00:00Z"),
    };
    const r = verifySeal(content, signed, options);
    expect(r.indication, JSON.stringify(r.checks.filter((c) => c.status !== "PASSED"))).toBe("TOTAL_PASSED");
    expect(r.signer?.agencyIds).toEqual([agency.spec.id]);
    expect(verifySesSeal(seal, options).indication).toBe("TOTAL_PASSED");
    expect(verifySeal(content, signed, { ...options, policy: OFFLINE_DEV_POLICY }).indication).toBe("TOTAL_PASSED");
    const old = createSealer({
      privateKey: undefined as never,
      certificate: superseded.certificateDer,
      sm2: key(superseded.privateKeyPem),
      sesSeal: seal,
    }).seal(content, new Date("2026-03-02T00:00:00Z"));
    expect(verifySeal(content, old, options).subIndication).toBe("REVOKED_NO_POE");
  });
});
