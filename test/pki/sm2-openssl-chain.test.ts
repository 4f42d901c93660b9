import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certInfo, isSignedBy } from "../../src/pki/certificate.ts";
import { validateChain } from "../../src/pki/chain.ts";
import { isCrlSignedBy, parseCrl } from "../../src/pki/crl.ts";
import { DEFAULT_POLICY } from "../../src/pki/policy.ts";
import { conclude } from "../../src/pki/report.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { openssl, tempDir } from "../fixtures/openssl.ts";
import { createSm2OpensslPki, type Sm2OpensslPki } from "./sm2-openssl-pki.ts";

/**
 * An SM2 PKI made by the `openssl` binary loads and validates in jiexu (issue 16 item 1): certificates and CRLs
 * signed with the standard signer ID pass, the revoked seal certificate is revoked, and a certificate or CRL that
 * OpenSSL signed with its default empty ID — which OpenSSL itself accepts — is refused.
 */
let pki: Sm2OpensslPki;
const AT = new Date(Date.now() + 3_600_000); // openssl's certificates start now; its CRLs run 30 days

beforeAll(() => {
  pki = createSm2OpensslPki(tempDir("jiexu-sm2-openssl-"));
});
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }));

function verdictFor(sealPem: string, crlPems: string[]) {
  const key = {
    signer: certInfo(pki.der(sealPem)),
    trust: createTrustStore([pki.der(pki.root)]),
    crls: createRevocationStore(crlPems.map((p) => pki.der(p))),
    policy: DEFAULT_POLICY,
    at: AT,
    embedded: [pki.der(pki.ca)],
  };
  const chain = validateChain(key, () => [certInfo(pki.der(pki.ca))]);
  return { chain, ...conclude(chain.checks) };
}

describe("an SM2 PKI made by openssl", () => {
  it("reads SM2 keys and SM3withSM2 signatures in its certificates", () => {
    for (const pem of [pki.root, pki.ca, pki.seal.cert]) {
      const info = certInfo(pki.der(pem));
      expect(info).toMatchObject({ keyType: "sm2", curve: "SM2", keyBits: 256, signatureHash: "sm3" });
    }
    expect(certInfo(pki.der(pki.seal.cert)).agencyIds).toEqual(["510000"]);
  });

  it("validates the seal certificate TOTAL_PASSED with its CRLs", () => {
    const v = verdictFor(pki.seal.cert, [pki.crls.root, pki.crls.ca]);
    expect(v.indication).toBe("TOTAL_PASSED");
    expect(v.chain.path).toHaveLength(3);
  });

  it("gives REVOKED_NO_POE for the certificate `openssl ca -revoke` listed", () => {
    const v = verdictFor(pki.revokedSeal.cert, [pki.crls.root, pki.crls.ca]);
    expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "REVOKED_NO_POE"]);
    expect(v.chain.checks.find((c) => c.status === "FAILED")?.detail).toContain("keyCompromise");
  });

  it("refuses a certificate signed with the empty signer ID: no chain", () => {
    const info = certInfo(pki.der(pki.emptyIdSeal.cert));
    expect(isSignedBy(info, certInfo(pki.der(pki.ca)))).toBe(false);
    const v = verdictFor(pki.emptyIdSeal.cert, [pki.crls.root, pki.crls.ca]);
    expect(v.subIndication).toBe("NO_CERTIFICATE_CHAIN_FOUND");
    // OpenSSL, verifying with its own empty default, takes it: the refusal is the signer ID's alone.
    const plain = openssl(["verify", "-partial_chain", "-CAfile", pki.ca, pki.emptyIdSeal.cert]);
    expect(plain.stdout).toContain(": OK");
  });

  it("refuses a CRL signed with the empty signer ID: the seal certificate's status is unknown", () => {
    const ca = certInfo(pki.der(pki.ca));
    expect(isCrlSignedBy(parseCrl(pki.der(pki.crls.ca)), ca)).toBe(true);
    expect(isCrlSignedBy(parseCrl(pki.der(pki.crls.caEmptyId)), ca)).toBe(false);
    const v = verdictFor(pki.seal.cert, [pki.crls.root, pki.crls.caEmptyId]);
    expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "TRY_LATER"]);
    expect(openssl(["crl", "-in", pki.crls.caEmptyId, "-CAfile", pki.ca, "-noout"]).stderr).toContain("verify OK");
  });
});
