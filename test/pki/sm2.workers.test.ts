import { beforeAll, describe, expect, it } from "vitest";
import { certInfo } from "../../src/pki/certificate.ts";
import { validateChain } from "../../src/pki/chain.ts";
import { createPrivateKey } from "node:crypto";
import { KeyError, assertKeyMatchesCertificate, loadPrivateKey } from "../../src/pki/keys.ts";
import { DEFAULT_POLICY } from "../../src/pki/policy.ts";
import { conclude } from "../../src/pki/report.ts";
import { signSm2, verifySm2 } from "../../src/pki/sm2.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { AT } from "../fixtures/seal-pki.ts";
import { createSm2Pki, type Sm2Pki } from "../fixtures/sm2-pki.ts";

/**
 * SM2 inside workerd (issue 16; src/pki must run there): workerd's node:crypto cannot import an SM2 key at all,
 * so SM2 certificates are read and chains verified from the DER alone, and SM2 private keys load as `sm2` —
 * the KeyObject `privateKey`, which nothing SM2 uses, is KEY_UNSUPPORTED when read.
 */
let pki: Sm2Pki;
beforeAll(async () => {
  pki = await createSm2Pki();
});

describe("SM2 in workerd", () => {
  it("validates an SM2 chain TOTAL_PASSED", () => {
    const key = {
      signer: certInfo(pki.seal.der),
      trust: createTrustStore([pki.root.der]),
      crls: createRevocationStore([pki.crls.root, pki.crls.ca]),
      policy: DEFAULT_POLICY,
      at: AT,
      embedded: [pki.ca.der],
    };
    expect(certInfo(pki.seal.der)).toMatchObject({ keyType: "sm2", curve: "SM2" });
    expect(conclude(validateChain(key, () => [certInfo(pki.ca.der)]).checks).indication).toBe("TOTAL_PASSED");
  });

  it("loads an SM2 key as `sm2`, matched to its certificate; a foreign certificate is KEY_CERT_MISMATCH", async () => {
    const pem = new TextEncoder().encode(pki.seal.keyPem);
    const loaded = await loadPrivateKey(pem, { certificate: pki.seal.der });
    const data = new TextEncoder().encode("workerd");
    expect(verifySm2(data, signSm2(data, loaded.sm2!), pki.seal.key)).toBe(true);
    expect(() => loaded.privateKey).toThrow(KeyError);
    await expect(loadPrivateKey(pem, { certificate: pki.ca.der })).rejects.toMatchObject({ code: "KEY_CERT_MISMATCH" });
  });

  it("gives KEY_CERT_MISMATCH, not an exception, for an ECDSA key against an SM2 certificate", async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
    const ecdsa = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
    expect(() => assertKeyMatchesCertificate(ecdsa, pki.seal.der)).toThrow(
      expect.objectContaining({ code: "KEY_CERT_MISMATCH" }),
    );
  });
});
