import { beforeAll, describe, expect, it } from "vitest";
import { certInfo, isSignedBy } from "../../src/pki/certificate.ts";
import { validateChain } from "../../src/pki/chain.ts";
import { isCrlSignedBy, parseCrl } from "../../src/pki/crl.ts";
import { DerError, Tag, bytesOf, childrenOf, readTlv } from "../../src/pki/der.ts";
import { bitString, nullValue, oid, seq, tlv } from "../../src/pki/der-write.ts";
import { hashFromOid, hashOfSignatureAlgorithm } from "../../src/pki/oids.ts";
import { DEFAULT_POLICY, OFFLINE_DEV_POLICY, policyWith, type ValidationPolicy } from "../../src/pki/policy.ts";
import { conclude } from "../../src/pki/report.ts";
import { SM2_OID, encodeSm2Spki, generateSm2Key, signSm2, type Sm2PrivateKey } from "../../src/pki/sm2.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { AT } from "../fixtures/seal-pki.ts";
import { CrlReason, KeyUsage, createSm2Pki, type Sm2Pki, type Sm2TestCert } from "../fixtures/sm2-pki.ts";

/**
 * SM2 chains through validateChain (issue 16 item 1): an SM3withSM2 root → issuing CA → seal certificate PKI built
 * by sm2-issue.ts is judged exactly as an ECDSA one — TOTAL_PASSED when everything holds, the revoked, missing-CRL,
 * key-usage and expiry verdicts otherwise — and only under a policy that names the SM2 curve and SM3.
 */
let pki: Sm2Pki;
beforeAll(async () => {
  pki = await createSm2Pki();
});

function verdictFor(
  seal: Sm2TestCert,
  crls: Uint8Array[] = [pki.crls.root, pki.crls.ca],
  policy: ValidationPolicy = DEFAULT_POLICY,
  at = AT,
) {
  const key = {
    signer: certInfo(seal.der),
    trust: createTrustStore([pki.root.der]),
    crls: createRevocationStore(crls),
    policy,
    at,
    embedded: [pki.ca.der],
  };
  const chain = validateChain(key, () => [certInfo(pki.ca.der)]);
  return { chain, ...conclude(chain.checks) };
}

describe("an SM2 certificate", () => {
  it("reads as an SM2 key on the SM2 curve, signed SM3withSM2, binding its agency", () => {
    const info = certInfo(pki.seal.der);
    expect(info).toMatchObject({ keyType: "sm2", curve: "SM2", keyBits: 256, agencyIds: ["510000"] });
    expect(info.sm2Key?.publicKeyHex).toBe(pki.seal.key.publicKeyHex);
    expect(info.signatureAlgorithm).toBe(SM2_OID.sm3WithSm2);
    expect(info.signatureHash).toBe("sm3");
    expect(hashFromOid(SM2_OID.sm3)).toBe("sm3");
    expect(hashOfSignatureAlgorithm(SM2_OID.sm3WithSm2)).toBe("sm3");
  });
});

describe("validateChain over an SM2 chain", () => {
  it("passes a seal certificate with its CRLs, the path running seal → issuing CA → root", () => {
    const v = verdictFor(pki.seal);
    expect(v.indication).toBe("TOTAL_PASSED");
    expect(v.chain.path.map((c) => c.sha256)).toEqual([pki.seal, pki.ca, pki.root].map((c) => certInfo(c.der).sha256));
    expect(v.chain.checks.find((c) => c.id === "XCV.signer-key-usage")?.status).toBe("PASSED");
    const crypto = v.chain.checks.filter((c) => c.id.startsWith("XCV.crypto"));
    expect(crypto.map((c) => c.detail)).toContain("sm2 256 SM2, signed with sm3");
  });

  it("gives REVOKED_NO_POE for a seal certificate the issuing CA's CRL lists", async () => {
    const revoked = await pki.issueSeal();
    const crl = await pki.issueCrl(pki.ca.self, [
      { serialNumber: revoked.serial, revokedAt: new Date("2026-01-01T00:00:00Z"), reason: CrlReason.keyCompromise },
    ]);
    const v = verdictFor(revoked, [pki.crls.root, crl]);
    expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "REVOKED_NO_POE"]);
  });

  it("gives TRY_LATER without the issuing CA's CRL, and a warning only under the offline development policy", () => {
    const v = verdictFor(pki.seal, [pki.crls.root]);
    expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "TRY_LATER"]);
    expect(verdictFor(pki.seal, [pki.crls.root], OFFLINE_DEV_POLICY).indication).toBe("TOTAL_PASSED");
  });

  it("does not take a CRL that another SM2 key signed under the issuing CA's name", async () => {
    const forger = { certificate: pki.ca.self.certificate, key: pki.root.key }; // the CA's name, the root's key
    const forged = await pki.issueCrl(forger, []);
    expect(isCrlSignedBy(parseCrl(forged), certInfo(pki.ca.der))).toBe(false);
    expect(verdictFor(pki.seal, [pki.crls.root, forged]).subIndication).toBe("TRY_LATER");
  });

  it("refuses a seal certificate without nonRepudiation", async () => {
    const weak = await pki.issueSeal({ keyUsage: KeyUsage.digitalSignature });
    const v = verdictFor(weak);
    expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "CHAIN_CONSTRAINTS_FAILURE"]);
    expect(v.chain.checks.find((c) => c.id === "XCV.signer-key-usage")?.detail).toContain("nonRepudiation");
  });

  it("gives OUT_OF_BOUNDS for an expired seal certificate", async () => {
    const old = await pki.issueSeal({
      notBefore: new Date("2024-01-01T00:00:00Z"),
      notAfter: new Date("2026-01-01T00:00:00Z"),
    });
    const v = verdictFor(old);
    expect(v.indication).toBe("INDETERMINATE");
    expect(v.subIndication).toBe("OUT_OF_BOUNDS_NOT_REVOKED");
  });

  it("refuses SM2 under a policy without the SM2 curve or without SM3", () => {
    const noCurve = policyWith({ acceptedCurves: ["prime256v1"] });
    const noSm3 = policyWith({ acceptedDigests: ["sha256"] });
    for (const policy of [noCurve, noSm3]) {
      const v = verdictFor(pki.seal, undefined, policy);
      expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "CRYPTO_CONSTRAINTS_FAILURE"]);
    }
  });

  it("finds no chain to a root of another SM2 PKI with the same name", async () => {
    const other = await createSm2Pki();
    const key = {
      signer: certInfo(pki.seal.der),
      trust: createTrustStore([other.root.der]),
      crls: createRevocationStore([]),
      policy: DEFAULT_POLICY,
      at: AT,
      embedded: [other.ca.der],
    };
    const v = conclude(validateChain(key, () => [certInfo(other.ca.der)]).checks);
    expect(v.subIndication).toBe("NO_CERTIFICATE_CHAIN_FOUND");
  });
});

describe("the SM3withSM2 AlgorithmIdentifier", () => {
  /** The seal certificate re-signed with `params` after the OID (inner and outer alike). */
  function resigned(cert: Sm2TestCert, issuerKey: Sm2PrivateKey, params: Uint8Array[]): Uint8Array {
    const der = cert.der;
    const [tbs] = childrenOf(der, readTlv(der, 0));
    const fields = childrenOf(der, tbs!).map((f) => der.subarray(f.start, f.end));
    const alg = seq(oid(SM2_OID.sm3WithSm2), ...params);
    fields[2] = alg; // [0] version, serial, signature
    const newTbs = seq(...fields);
    return seq(newTbs, alg, bitString(signSm2(newTbs, issuerKey)));
  }

  it("is accepted with NULL parameters (as most Chinese CAs write it) and the chain still passes", () => {
    const der = resigned(pki.seal, pki.ca.key, [nullValue()]);
    expect(der[0]).toBe(Tag.SEQUENCE);
    const info = certInfo(der);
    expect(info.signatureHash).toBe("sm3");
    expect(isSignedBy(info, certInfo(pki.ca.der))).toBe(true);
    expect(verdictFor({ ...pki.seal, der }).indication).toBe("TOTAL_PASSED");
  });

  it("is refused with any other parameters", () => {
    expect(() => certInfo(resigned(pki.seal, pki.ca.key, [oid(SM2_OID.curve)]))).toThrow(DerError);
  });

  it("is not trusted from an ECDSA or RSA issuer, nor an SM2 issuer under another algorithm", () => {
    const sealInfo = certInfo(pki.seal.der);
    const caInfo = certInfo(pki.ca.der);
    expect(isSignedBy(sealInfo, { ...caInfo, keyType: "ec", sha256: "x" })).toBe(false);
    expect(isSignedBy({ ...sealInfo, signatureAlgorithm: "1.2.840.10045.4.3.2", sha256: "y" }, caInfo)).toBe(false);
  });
});

/** A signed X.509 structure (Certificate or CertificateList) with TBS field `index` replaced, re-signed by `key`. */
function resignedWith(der: Uint8Array, key: Sm2PrivateKey, index: number, field: Uint8Array, outerAlg?: Uint8Array) {
  const [tbs, alg] = childrenOf(der, readTlv(der, 0));
  const fields = childrenOf(der, tbs!).map((f) => bytesOf(der, f));
  fields[index] = field;
  const newTbs = seq(...fields);
  return seq(newTbs, outerAlg ?? bytesOf(der, alg!), bitString(signSm2(newTbs, key)));
}

describe("an SM2 certificate's public key", () => {
  const SPKI = 6; // [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo
  const withSpki = (spki: Uint8Array) => resignedWith(pki.seal.der, pki.ca.key, SPKI, spki);
  const alg = seq(oid(SM2_OID.ecPublicKey), oid(SM2_OID.curve));

  it("is read when well formed, and the re-signed certificate passes (the crafting itself is sound)", () => {
    const key = generateSm2Key();
    const der = withSpki(encodeSm2Spki(key));
    expect(certInfo(der).sm2Key?.publicKeyHex).toBe(key.publicKeyHex);
    expect(verdictFor({ ...pki.seal, der }).indication).toBe("TOTAL_PASSED");
  });

  it("is refused when parsed (DerError), never a passing chain, off the curve, compressed, of the wrong length or with unused bits", () => {
    const p = Buffer.from(generateSm2Key().publicKeyHex, "hex");
    const offCurve = Uint8Array.from(p);
    offCurve[64] = offCurve[64]! ^ 1;
    const spkis = [
      seq(alg, bitString(offCurve)),
      seq(alg, bitString(Uint8Array.of(2 + (p[64]! & 1), ...p.subarray(1, 33)))),
      seq(alg, bitString(Uint8Array.of(...p, 0))),
      seq(alg, tlv(0x03, Uint8Array.of(1), p)),
      seq(seq(oid(SM2_OID.ecPublicKey), oid(SM2_OID.curve), nullValue()), bitString(p)),
    ];
    for (const spki of spkis) {
      const der = withSpki(spki);
      expect(() => certInfo(der)).toThrow(DerError);
      expect(() => verdictFor({ ...pki.seal, der })).toThrow(DerError);
    }
  });
});

describe("an SM2 CRL's signature algorithm", () => {
  const INNER = 1; // version, signature, issuer, thisUpdate, …

  it("must repeat the signed inner one byte for byte (RFC 5280 §5.1.1.2): a CRL that differs is refused", () => {
    const withNull = seq(oid(SM2_OID.sm3WithSm2), nullValue());
    const same = resignedWith(pki.crls.ca, pki.ca.key, INNER, withNull, withNull);
    expect(isCrlSignedBy(parseCrl(same), certInfo(pki.ca.der))).toBe(true);
    expect(verdictFor(pki.seal, [pki.crls.root, same]).indication).toBe("TOTAL_PASSED");
    const differs = resignedWith(pki.crls.ca, pki.ca.key, INNER, withNull); // outer: parameters absent
    expect(() => parseCrl(differs)).toThrow(DerError);
    const v = verdictFor(pki.seal, [pki.crls.root, differs]);
    expect([v.indication, v.subIndication]).toEqual(["INDETERMINATE", "TRY_LATER"]);
  });

  it("is refused when the signed inner one carries parameters other than NULL", () => {
    const inner = seq(oid(SM2_OID.sm3WithSm2), oid(SM2_OID.curve));
    const outer = seq(oid(SM2_OID.sm3WithSm2));
    expect(() => parseCrl(resignedWith(pki.crls.ca, pki.ca.key, INNER, inner, outer))).toThrow(DerError);
  });
});
