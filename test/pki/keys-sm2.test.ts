import { createPrivateKey, type KeyObject } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sm2 } from "sm-crypto-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { certInfo } from "../../src/pki/certificate.ts";
import { toPem } from "../../src/pki/issue.ts";
import { KeyError, assertKeyMatchesCertificate, keyMatchesCertificate, loadPrivateKey } from "../../src/pki/keys.ts";
import { sm2OfKeyObject } from "../../src/pki/keys-sm2.ts";
import { exportPkcs12 } from "../../src/pki/pkcs12.ts";
import { SealKeyError, createSealer } from "../../src/pki/seal.ts";
import { encodeSm2Pkcs8, generateSm2Key, readSm2PrivateKey, signSm2, verifySm2 } from "../../src/pki/sm2.ts";
import { opensslOk, tempDir } from "../fixtures/openssl.ts";
import { createSealPki, type SealPki } from "../fixtures/seal-pki.ts";
import { createSm2OpensslPki, type Sm2OpensslPki } from "./sm2-openssl-pki.ts";

/**
 * SM2 keys in every container `loadPrivateKey` takes (issue 16 item 1), each written by the `openssl` binary:
 * PKCS#8 PEM and DER (`genpkey -algorithm SM2`, `pkcs8 -topk8 -nocrypt`), SEC1 under OpenSSL's "SM2 PRIVATE KEY"
 * label and under "EC PRIVATE KEY", encrypted PKCS#8 (PBES2/AES-256-CBC), PKCS#12. `sm2` is set iff the key is
 * SM2 and signs what the certificate's key verifies; a key and a certificate that do not belong together are
 * KEY_CERT_MISMATCH whichever side is SM2.
 */
let pki: Sm2OpensslPki;
let ecdsa: SealPki;
const utf8 = (text: string) => new TextEncoder().encode(text);
const bytes = (path: string) => new Uint8Array(readFileSync(path));
let sealCert: Uint8Array;

async function codeOf(run: Promise<unknown>): Promise<string> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyError);
  return (err as KeyError).code;
}

beforeAll(async () => {
  pki = createSm2OpensslPki(tempDir("jiexu-sm2-keys-"));
  sealCert = pki.der(pki.seal.cert);
  ecdsa = await createSealPki("ecdsa-p256");
});
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }));

/** The key signs, the certificate's key verifies: the loaded SM2 key is the certified one. */
function expectCertifiedSm2(loaded: Awaited<ReturnType<typeof loadPrivateKey>>): void {
  expect(loaded.sm2).toBeDefined();
  const data = utf8("接续 SM2 key check");
  expect(verifySm2(data, signSm2(data, loaded.sm2!), certInfo(sealCert).sm2Key!)).toBe(true);
}

describe("loadPrivateKey with SM2 keys written by openssl", () => {
  it("reads PKCS#8 PEM (genpkey) and checks it against its certificate", async () => {
    const loaded = await loadPrivateKey(bytes(pki.seal.key), { certificate: sealCert });
    expect(loaded.certificate).toEqual(sealCert);
    expectCertifiedSm2(loaded);
  });

  it("reads SEC1 under 'SM2 PRIVATE KEY' (openssl ec) and under 'EC PRIVATE KEY'", async () => {
    const sec1 = opensslOk(["ec", "-in", pki.seal.key]);
    expect(sec1).toContain("BEGIN SM2 PRIVATE KEY");
    expectCertifiedSm2(await loadPrivateKey(utf8(sec1), { certificate: sealCert }));
    const relabelled = sec1.replaceAll("SM2 PRIVATE KEY", "EC PRIVATE KEY");
    expectCertifiedSm2(await loadPrivateKey(utf8(relabelled), { certificate: sealCert }));
  });

  it("reads PKCS#8 DER and SEC1 DER", async () => {
    const p8 = join(pki.dir, "seal.p8.der");
    opensslOk(["pkcs8", "-topk8", "-nocrypt", "-in", pki.seal.key, "-outform", "DER", "-out", p8]);
    expectCertifiedSm2(await loadPrivateKey(bytes(p8), { certificate: sealCert }));
    const sec1 = join(pki.dir, "seal.sec1.der");
    opensslOk(["ec", "-in", pki.seal.key, "-outform", "DER", "-out", sec1]);
    expectCertifiedSm2(await loadPrivateKey(bytes(sec1), { certificate: sealCert }));
  });

  it("reads encrypted PKCS#8 (PBES2, AES-256-CBC) with its password, PEM and DER, and codes a missing or wrong one", async () => {
    const enc = (form: string) => {
      const out = join(pki.dir, `seal.enc.${form}`);
      opensslOk([
        ...["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pki.seal.key],
        ...["-passout", "pass:接续secret", "-outform", form, "-out", out],
      ]);
      return bytes(out);
    };
    for (const file of [enc("PEM"), enc("DER")]) {
      expectCertifiedSm2(await loadPrivateKey(file, { password: "接续secret", certificate: sealCert }));
      expect(await codeOf(loadPrivateKey(file))).toBe("KEY_PASSWORD_REQUIRED");
      expect(await codeOf(loadPrivateKey(file, { password: "wrong" }))).toBe("KEY_PASSWORD_WRONG");
    }
  });

  it("reads a PKCS#12 file openssl made for the key and its chain, picking the key's certificate", async () => {
    const p12 = join(pki.dir, "seal.p12");
    opensslOk([
      ...["pkcs12", "-export", "-inkey", pki.seal.key, "-in", pki.seal.cert, "-certfile", pki.ca],
      ...["-passout", "pass:p12pass", "-out", p12],
    ]);
    const loaded = await loadPrivateKey(bytes(p12), { password: "p12pass" });
    expect(loaded.certificate).toEqual(sealCert);
    expect(loaded.chain).toEqual([pki.der(pki.ca)]);
    expectCertifiedSm2(loaded);
  });

  it("writes a PKCS#12 for an SM2 key that openssl opens with the same key, and reads it back", async () => {
    const p12 = await exportPkcs12(
      {
        privateKeyPkcs8: encodeSm2Pkcs8(readSm2PrivateKey(bytes(pki.seal.key))),
        certificate: sealCert,
        chain: [pki.der(pki.ca)],
      },
      "p12pass",
    );
    const path = join(pki.dir, "ours.p12");
    writeFileSync(path, p12);
    const keyOut = opensslOk(["pkcs12", "-in", path, "-passin", "pass:p12pass", "-nocerts", "-nodes"]);
    const pub = (pem: string) => opensslOk(["pkey", "-pubout"], pem);
    expect(pub(keyOut)).toBe(pub(readFileSync(pki.seal.key, "utf8")));
    const loaded = await loadPrivateKey(p12, { password: "p12pass" });
    expect(loaded.certificate).toEqual(sealCert);
    expectCertifiedSm2(loaded);
  });

  it("finds the key's certificate in a combined PEM, whatever the order", async () => {
    const combined = [
      readFileSync(pki.ca, "utf8"),
      readFileSync(pki.seal.key, "utf8"),
      readFileSync(pki.seal.cert, "utf8"),
    ];
    const loaded = await loadPrivateKey(utf8(combined.join("\n")));
    expect(loaded.certificate).toEqual(sealCert);
    expect(loaded.chain).toEqual([pki.der(pki.ca)]);
  });

  it("is KEY_CERT_MISMATCH for another SM2 certificate, an ECDSA certificate, and an ECDSA key with an SM2 certificate", async () => {
    const key = bytes(pki.seal.key);
    expect(await codeOf(loadPrivateKey(key, { certificate: pki.der(pki.revokedSeal.cert) }))).toBe("KEY_CERT_MISMATCH");
    expect(await codeOf(loadPrivateKey(key, { certificate: ecdsa.seal.der }))).toBe("KEY_CERT_MISMATCH");
    expect(await codeOf(loadPrivateKey(utf8(ecdsa.seal.keyPem), { certificate: sealCert }))).toBe("KEY_CERT_MISMATCH");
  });

  it("refuses an SM2 key file whose stated public key is not its private key's", async () => {
    const [a, b] = [generateSm2Key(), generateSm2Key()];
    const lying = encodeSm2Pkcs8({ privateKeyHex: a.privateKeyHex, publicKeyHex: b.publicKeyHex });
    expect(await codeOf((async () => readSm2PrivateKey(lying))())).toBe("KEY_UNREADABLE");
    expect(readSm2PrivateKey(encodeSm2Pkcs8(a))).toEqual(a);
    // loadPrivateKey does not hand such a key on to the platform's reader (which would not look): PEM and DER alike
    expect(await codeOf(loadPrivateKey(utf8(toPem(lying, "PRIVATE KEY"))))).toBe("KEY_UNREADABLE");
    expect(await codeOf(loadPrivateKey(lying))).toBe("KEY_UNREADABLE");
    // OpenSSL reads past a trailing byte and would export the key clean again: ours refuses it, and that stands
    const trailing = Uint8Array.of(...encodeSm2Pkcs8(a), 0);
    expect(await codeOf(loadPrivateKey(utf8(toPem(trailing, "PRIVATE KEY"))))).toBe("KEY_UNREADABLE");
  });

  it("refuses an SM2 key file with d = n − 1, which Node would load and signing could never use", async () => {
    const d = "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122";
    const file = encodeSm2Pkcs8({ privateKeyHex: d, publicKeyHex: sm2.getPublicKeyFromPrivateKey(d) });
    expect(await codeOf(loadPrivateKey(utf8(toPem(file, "PRIVATE KEY"))))).toBe("KEY_UNREADABLE");
  });

  it("is KEY_CERT_MISMATCH, not an exception, for an ECDSA KeyObject against an SM2 certificate and the reverse", () => {
    const sm2Key = createPrivateKey(readFileSync(pki.seal.key));
    const mismatch = (key: KeyObject, cert: Uint8Array) => {
      try {
        assertKeyMatchesCertificate(key, cert);
      } catch (err) {
        return err instanceof KeyError ? err.code : String(err);
      }
      return "matched";
    };
    expect(mismatch(ecdsa.seal.key, sealCert)).toBe("KEY_CERT_MISMATCH");
    expect(mismatch(sm2Key, ecdsa.seal.der)).toBe("KEY_CERT_MISMATCH");
    expect(mismatch(sm2Key, sealCert)).toBe("matched");
  });

  it("leaves `sm2` unset for an ECDSA key", async () => {
    const loaded = await loadPrivateKey(utf8(ecdsa.seal.keyPem), { certificate: ecdsa.seal.der });
    expect(loaded.sm2).toBeUndefined();
    expect(sm2OfKeyObject(ecdsa.seal.key)).toBeUndefined();
  });

  it("knows an SM2 KeyObject by its PKCS#8 AlgorithmIdentifier, whatever type the platform reports", () => {
    const key = generateSm2Key();
    const pkcs8 = Buffer.from(encodeSm2Pkcs8(key));
    for (const asymmetricKeyType of [undefined, "ec", "sm2"]) {
      const reported = { asymmetricKeyType, export: () => pkcs8 } as unknown as KeyObject;
      expect(sm2OfKeyObject(reported)).toEqual(key);
    }
  });
});

describe("createSealer with an SM2 key", () => {
  it("refuses a CAdES sealer with a SealKeyError that asks for the seal file", async () => {
    const loaded = await loadPrivateKey(bytes(pki.seal.key), { certificate: sealCert });
    // SealKeyError carries no code (seal.ts): the key is its certificate's, so the refusal is for SM2 itself.
    expect(keyMatchesCertificate(loaded.privateKey, sealCert)).toBe(true);
    expect(() => createSealer({ privateKey: loaded.privateKey, certificate: sealCert })).toThrow(SealKeyError);
  });
});
