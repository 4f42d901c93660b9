import "reflect-metadata";
import { X509Certificate, createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_AGENCIES, createDevPki, randomSerial, type DevPki } from "../../src/dev/pki.ts";
import { creditCodeCheck, devCreditCode } from "../../src/dev/agencies.ts";
import type { devPkiManifest } from "../../src/dev/pki-files.ts";
import { FIXTURE_NOW, devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { openssl, tempDir } from "../fixtures/openssl.ts";

const HOUR = 3_600_000;

function years(from: Date, n: number): number {
  const d = new Date(from);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return d.getTime();
}

function verifyAll(dir: string, pki: DevPki): void {
  const leaves = pki.agencies.flatMap((a) => [
    `agencies/${a.spec.id}/seal.cert.pem`,
    `agencies/${a.spec.id}/receipt.cert.pem`,
  ]);
  const r = openssl([
    "verify",
    "-CAfile",
    join(dir, "root.cert.pem"),
    "-untrusted",
    join(dir, "issuing.cert.pem"),
    ...leaves.map((l) => join(dir, l)),
  ]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout.match(/: OK$/gm)).toHaveLength(leaves.length);
}

describe("createDevPki (ecdsa-p256, default agencies)", () => {
  let pki: DevPki;
  let dir: string;
  beforeAll(async () => {
    pki = await devPkiFixture("ecdsa-p256");
    dir = await writeDevPki(pki, tempDir());
  });

  it("certifies the six default provinces with a seal and a receipt certificate each", () => {
    expect(pki.agencies.map((a) => a.spec.id)).toEqual(["110000", "310000", "330000", "440000", "510000", "650000"]);
    expect(pki.developmentOnly).toBe(true);
  });

  it("chains every seal and receipt certificate to the root through the issuing CA (openssl verify)", () => {
    verifyAll(dir, pki);
  });

  it("gives seal certificates critical keyUsage digitalSignature+nonRepudiation and the agency SAN URI", () => {
    const text = openssl([
      "x509",
      "-in",
      join(dir, "agencies/440000/seal.cert.pem"),
      "-noout",
      "-text",
      "-nameopt",
      "utf8",
    ]).stdout;
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(text).toMatch(/Subject Alternative Name:\s+URI:urn:jiexu:agency:440000\n/);
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toContain(
      "Subject: C=CN, ST=广东省, O=广东省社会保险基金管理局 (JIEXU DEVELOPMENT ONLY), organizationIdentifier=NTRCN-12440000JX",
    );
    expect(text).toContain("CN=广东省社会保险基金管理局\n");
  });

  it("marks receipt certificates apart from seals: digitalSignature only, own OU and CN suffix, own key", () => {
    const text = openssl([
      "x509",
      "-in",
      join(dir, "agencies/310000/receipt.cert.pem"),
      "-noout",
      "-text",
      "-nameopt",
      "utf8",
    ]).stdout;
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toContain("OU=Jiexu gateway receipts");
    expect(text).toContain("CN=上海市社会保险事业管理中心 接续网关回执");
    expect(text).toContain("URI:urn:jiexu:agency:310000");
    const a = pki.agencies[1]!;
    expect(
      new X509Certificate(a.seal.certificateDer).publicKey.equals(
        new X509Certificate(a.receipt.certificateDer).publicKey,
      ),
    ).toBe(false);
  });

  it("constrains the issuing CA to pathlen:0 and makes the root a self-signed CA", () => {
    const issuing = openssl(["x509", "-in", join(dir, "issuing.cert.pem"), "-noout", "-text"]).stdout;
    expect(issuing).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(issuing).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    const root = new X509Certificate(pki.root.certificateDer);
    expect(root.ca).toBe(true);
    expect(root.checkIssued(root)).toBe(true);
  });

  it("issues the directory operator from the root: SAN urn:jiexu:directory-operator, digitalSignature+nonRepudiation", () => {
    const path = join(dir, "operator.cert.pem");
    const text = openssl(["x509", "-in", path, "-noout", "-text"]).stdout;
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation\n/);
    expect(text).toMatch(/Subject Alternative Name:\s+URI:urn:jiexu:directory-operator\n/);
    expect(openssl(["verify", "-CAfile", join(dir, "root.cert.pem"), path]).status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as ReturnType<typeof devPkiManifest>;
    expect(manifest.operator).toMatchObject({
      cert: "operator.cert.pem",
      key: "operator.key.pem",
      sha256: pki.operator.fingerprint,
    });
    expect(statSync(join(dir, "operator.key.pem")).mode & 0o777).toBe(0o600);
  });

  it("says DEVELOPMENT ONLY in every subject", () => {
    const all = [
      pki.root,
      pki.issuing,
      pki.operator,
      ...pki.agencies.flatMap((a) => [a.seal, a.receipt]),
      ...pki.revoked.map((r) => r.credential),
    ];
    for (const c of all) expect(c.subject).toContain("JIEXU DEVELOPMENT ONLY");
  });

  it("uses the validity periods: root 20y, issuing 10y, end entities 2y, all backdated one hour", () => {
    expect(pki.root.notAfter.getTime()).toBe(years(FIXTURE_NOW, 20));
    expect(pki.issuing.notAfter.getTime()).toBe(years(FIXTURE_NOW, 10));
    expect(pki.agencies[0]!.seal.notAfter.getTime()).toBe(years(FIXTURE_NOW, 2));
    expect(pki.agencies[0]!.receipt.notBefore.getTime()).toBe(FIXTURE_NOW.getTime() - HOUR);
  });

  it("issues random positive 16-byte serials", () => {
    const serials = [pki.root, pki.issuing, ...pki.agencies.map((a) => a.seal)].map((c) => c.serialNumber);
    for (const s of serials) expect(s).toMatch(/^[4-7][0-9a-f]{31}$/);
    expect(new Set(serials).size).toBe(serials.length);
  });

  it("publishes CRLs with Next Update and a reason on every entry, signed by their CA (openssl crl)", () => {
    for (const [name, entries] of [
      ["issuing", 1],
      ["root", 0],
    ] as const) {
      const r = openssl([
        "crl",
        "-inform",
        "DER",
        "-in",
        join(dir, `${name}.crl.der`),
        "-noout",
        "-text",
        "-CAfile",
        join(dir, "chain.pem"),
      ]);
      expect(r.stderr).toContain("verify OK");
      expect(r.stdout).toMatch(/Next Update: \w+/);
      expect(r.stdout.match(/Serial Number:/g) ?? []).toHaveLength(entries);
      expect(r.stdout.match(/CRL Reason Code:\s+Superseded/g) ?? []).toHaveLength(entries);
    }
  });

  it("revokes a superseded earlier seal certificate of the first agency (openssl verify -crl_check)", () => {
    const revoked = join(dir, "revoked/110000-seal-superseded.cert.pem");
    // At the PKI's own time: the fixture's 90-day CRL may have expired by the time the suite runs.
    const args = [
      "verify",
      "-crl_check",
      "-attime",
      String(FIXTURE_NOW.getTime() / 1000),
      "-CAfile",
      join(dir, "root.cert.pem"),
      "-untrusted",
      join(dir, "issuing.cert.pem"),
    ];
    const crl = ["-CRLfile", join(dir, "issuing.crl.pem")];
    const r = openssl([...args, ...crl, revoked]);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toContain("certificate revoked");
    expect(openssl([...args, ...crl, join(dir, "agencies/110000/seal.cert.pem")]).status).toBe(0);
  });

  it('writes CRLs that pkijs parses with their entries (docs/references.md "Library pitfalls")', () => {
    const crl = new pkijs.CertificateRevocationList({
      schema: asn1js.fromBER(pki.issuing.crl.der.slice().buffer).result,
    });
    expect(crl.revokedCertificates).toHaveLength(1);
    expect(crl.nextUpdate).toBeDefined();
  });

  it("lists every file and fingerprint in manifest.json", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as ReturnType<typeof devPkiManifest>;
    expect(manifest.developmentOnly).toBe(true);
    expect(manifest.createdAt).toBe(FIXTURE_NOW.toISOString());
    for (const a of manifest.agencies) {
      const der = new X509Certificate(readFileSync(join(dir, a.seal.cert))).raw;
      expect(createHash("sha256").update(der).digest("hex")).toBe(a.seal.sha256);
      expect(readFileSync(join(dir, a.receipt.key), "utf8")).toContain("BEGIN PRIVATE KEY");
    }
  });
});

describe("createDevPki options", () => {
  it("takes its serial randomness from the injected function", () => {
    expect(randomSerial((b) => b.fill(0xff))).toBe("7f" + "ff".repeat(15));
    expect(randomSerial((b) => b.fill(0))).toBe("40" + "00".repeat(15));
  });

  it("refuses agency ids that are not GB/T 2260 codes", async () => {
    await expect(
      createDevPki({ algorithm: "ecdsa-p256", now: FIXTURE_NOW, agencies: [{ id: "44", name: "x", region: "y" }] }),
    ).rejects.toThrow(RangeError);
  });

  it("makes well-formed GB 32100 credit codes (check symbol of a published example)", () => {
    expect(creditCodeCheck("91350100M000100Y4")).toBe("3"); // the example code of GB 32100-2015
    expect(creditCodeCheck("91110000802100433")).toBe("B");
    expect(devCreditCode("440000")).toMatch(/^12440000JX0{7}[0-9A-HJ-NP-RTUWXY]$/);
    expect(devCreditCode("650000-BT")).toMatch(/^12650000JX00000BT[0-9A-HJ-NP-RTUWXY]$/);
  });

  it.each([
    ["ecdsa-p384", "ASN1 OID: secp384r1"],
    ["rsa-2048", "Public-Key: (2048 bit)"],
  ] as const)("builds a valid %s PKI", async (alg, keyText) => {
    const pki = await devPkiFixture(alg, [DEFAULT_AGENCIES[3]!]);
    const dir = await writeDevPki(pki, tempDir());
    verifyAll(dir, pki);
    expect(openssl(["x509", "-in", join(dir, "agencies/440000/seal.cert.pem"), "-noout", "-text"]).stdout).toContain(
      keyText,
    );
    expect(
      openssl([
        "crl",
        "-inform",
        "DER",
        "-in",
        join(dir, "issuing.crl.der"),
        "-noout",
        "-CAfile",
        join(dir, "chain.pem"),
      ]).stderr,
    ).toContain("verify OK");
  });
});
