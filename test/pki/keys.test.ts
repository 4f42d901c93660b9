import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { DevPki } from "../../src/dev/pki.ts";
import { KeyError, loadCertificates, loadPrivateKey } from "../../src/pki/keys.ts";
import { devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { opensslOk, tempDir } from "../fixtures/openssl.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  const run = typeof promise === "function" ? Promise.resolve().then(promise) : promise;
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KeyError);
  return (err as KeyError).code;
}

let pki: DevPki;
let dir: string;
const file = (path: string) => new Uint8Array(readFileSync(join(dir, path)));

beforeAll(async () => {
  pki = await devPkiFixture("ecdsa-p256");
  dir = await writeDevPki(pki, tempDir());
});

describe("loadPrivateKey", () => {
  it("reads PKCS#8 PEM and checks it against a given certificate", async () => {
    const seal = pki.agencies[0]!.seal;
    const loaded = await loadPrivateKey(utf8(seal.privateKeyPem), { certificate: seal.certificateDer });
    expect(loaded.privateKey.asymmetricKeyType).toBe("ec");
    expect(loaded.certificate).toEqual(seal.certificateDer);
  });

  it("reads SEC1 'EC PRIVATE KEY' PEM and PKCS#8 DER", async () => {
    const sec1 = opensslOk(["ec", "-in", join(dir, "agencies/440000/seal.key.pem")]);
    expect(sec1).toContain("BEGIN EC PRIVATE KEY");
    expect((await loadPrivateKey(utf8(sec1))).privateKey.asymmetricKeyType).toBe("ec");
    const pkcs8Der = (await loadPrivateKey(utf8(pki.agencies[3]!.seal.privateKeyPem))).privateKey.export({
      type: "pkcs8",
      format: "der",
    });
    expect((await loadPrivateKey(new Uint8Array(pkcs8Der))).privateKey.asymmetricKeyType).toBe("ec");
  });

  it("reads PKCS#1 'RSA PRIVATE KEY' PEM", async () => {
    const rsa = opensslOk(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]);
    const traditional = opensslOk(["rsa", "-traditional"], rsa);
    expect(traditional).toContain("BEGIN RSA PRIVATE KEY");
    expect((await loadPrivateKey(utf8(traditional))).privateKey.asymmetricKeyType).toBe("rsa");
  });

  it("reads encrypted PKCS#8 with its password, and codes a missing or wrong one", async () => {
    const enc = opensslOk([
      "pkcs8",
      "-topk8",
      "-v2",
      "aes-256-cbc",
      "-passout",
      "pass:pw",
      "-in",
      join(dir, "agencies/440000/seal.key.pem"),
    ]);
    expect(enc).toContain("BEGIN ENCRYPTED PRIVATE KEY");
    expect((await loadPrivateKey(utf8(enc), { password: "pw" })).privateKey.asymmetricKeyType).toBe("ec");
    expect(await codeOf(loadPrivateKey(utf8(enc)))).toBe("KEY_PASSWORD_REQUIRED");
    expect(await codeOf(loadPrivateKey(utf8(enc), { password: "nope" }))).toBe("KEY_PASSWORD_WRONG");
    // PBES2 has no integrity check: about one wrong password in 256 decrypts to valid padding and
    // unparsable key bytes. Every one of them must still read as a wrong password.
    const codes = new Set<string>();
    for (let i = 0; i < 600; i++) codes.add(await codeOf(loadPrivateKey(utf8(enc), { password: `wrong-${i}` })));
    expect([...codes]).toEqual(["KEY_PASSWORD_WRONG"]);
  });

  it("reads a seal.p12 with its certificate and chain", async () => {
    const loaded = await loadPrivateKey(file("agencies/510000/seal.p12"), { password: "jiexu-dev" });
    expect(loaded.certificate).toEqual(pki.agencies[4]!.seal.certificateDer);
    expect(loaded.chain).toEqual([pki.issuing.certificateDer, pki.root.certificateDer]);
  });

  it("codes a .p12 without or with a wrong password", async () => {
    expect(await codeOf(loadPrivateKey(file("agencies/510000/seal.p12")))).toBe("KEY_PASSWORD_REQUIRED");
    expect(await codeOf(loadPrivateKey(file("agencies/510000/seal.p12"), { password: "jiexu" }))).toBe(
      "KEY_PASSWORD_WRONG",
    );
  });

  it("refuses a certificate of another key with KEY_CERT_MISMATCH", async () => {
    const [a, b] = pki.agencies;
    expect(await codeOf(loadPrivateKey(utf8(a!.seal.privateKeyPem), { certificate: b!.seal.certificateDer }))).toBe(
      "KEY_CERT_MISMATCH",
    );
    expect(await codeOf(loadPrivateKey(utf8(a!.seal.privateKeyPem), { certificate: a!.receipt.certificateDer }))).toBe(
      "KEY_CERT_MISMATCH",
    );
  });

  it("picks the key's own certificate out of a combined PEM", async () => {
    const a = pki.agencies[2]!;
    const combined = a.seal.privateKeyPem + pki.issuing.certificatePem + a.seal.certificatePem;
    const loaded = await loadPrivateKey(utf8(combined));
    expect(loaded.certificate).toEqual(a.seal.certificateDer);
    expect(loaded.chain).toEqual([pki.issuing.certificateDer]);
  });

  it("codes garbage as KEY_UNREADABLE", async () => {
    expect(await codeOf(loadPrivateKey(utf8("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")))).toBe(
      "KEY_UNREADABLE",
    );
    expect(await codeOf(loadPrivateKey(new Uint8Array([1, 2, 3])))).toBe("KEY_UNREADABLE");
    expect(await codeOf(loadPrivateKey(utf8(pki.root.certificatePem)))).toBe("KEY_UNREADABLE");
  });
});

describe("loadCertificates", () => {
  it("reads every certificate of a PEM bundle, in order", () => {
    expect(loadCertificates(file("chain.pem"))).toEqual([pki.issuing.certificateDer, pki.root.certificateDer]);
  });

  it("reads one DER certificate", () => {
    expect(loadCertificates(pki.root.certificateDer)).toEqual([pki.root.certificateDer]);
  });

  it("codes non-certificates as KEY_CERT_UNREADABLE", async () => {
    expect(await codeOf(() => loadCertificates(utf8(pki.root.privateKeyPem)))).toBe("KEY_CERT_UNREADABLE");
    expect(await codeOf(() => loadCertificates(new Uint8Array([0x30, 0x00])))).toBe("KEY_CERT_UNREADABLE");
  });
});
