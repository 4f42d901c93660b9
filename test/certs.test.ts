import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { certInfo } from "../src/pki/certificate.ts";
import { isCrlSignedBy, parseCrl } from "../src/pki/crl.ts";
import { DEV_MARK } from "../src/dev/pki.ts";

/**
 * certs/ (issue 14 item 4): the committed public half of the fixed test PKI. Fails when a private key or
 * anything but certificates, CRLs and the README is committed there, when a certificate does not parse or
 * does not chain to the test root, and when certs/README.md's fingerprints and subjects no longer match.
 */
const root = resolve(import.meta.dirname, "..");
const certsDir = join(root, "certs");
const testDir = join(certsDir, "test");

/** Every file under certs/ except certs/dev/, which is ignored and holds generated keys by design. */
function committedFiles(dir = certsDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === join(certsDir, "dev")) return [];
    return statSync(path).isDirectory() ? committedFiles(path) : [relative(certsDir, path)];
  });
}

const readCert = (path: string) => new X509Certificate(readFileSync(join(testDir, path)));
const pemBlocks = (text: string) => [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]);
const subjectOf = (cert: X509Certificate) => cert.subject.split("\n").join(", ");
const fingerprintOf = (cert: X509Certificate) => cert.fingerprint256.replace(/:/g, "").toLowerCase();
const agencyIds = readdirSync(join(testDir, "agencies"));
/** The certificate files of certs/test, relative to it. */
const testCertFiles = () =>
  committedFiles(testDir)
    .filter((f) => f.endsWith(".cert.pem"))
    .map((f) => relative(testDir, join(certsDir, f)));

describe("certs/ holds no secrets", () => {
  const files = committedFiles();

  it("holds only certificates, CRLs and the README", () => {
    expect(files).toContain("README.md");
    expect(files.filter((f) => !/(\.cert\.pem|\.crl\.(pem|der)|^test\/chain\.pem|^README\.md)$/.test(f))).toEqual([]);
  });

  it("has no file containing a private key", () => {
    const withKey = files.filter((f) => readFileSync(join(certsDir, f)).includes("PRIVATE KEY"));
    expect(withKey).toEqual([]);
  });

  it("has PEM files with only CERTIFICATE or X509 CRL blocks", () => {
    for (const f of files.filter((f) => f.endsWith(".pem"))) {
      const blocks = pemBlocks(readFileSync(join(certsDir, f), "utf8"));
      expect(blocks.length, f).toBeGreaterThan(0);
      expect(new Set(blocks), f).toEqual(new Set([f.endsWith(".crl.pem") ? "X509 CRL" : "CERTIFICATE"]));
    }
  });

  it("is guarded by .gitignore: certs/dev/ and key files anywhere under certs/", () => {
    const lines = readFileSync(join(root, ".gitignore"), "utf8").split("\n");
    for (const rule of ["certs/dev/", "certs/**/*.key.pem", "certs/**/*.key", "certs/**/*.p12", "certs/**/*.pfx"]) {
      expect(lines).toContain(rule);
    }
  });
});

describe("certs/test: the fixed test PKI", () => {
  const rootCert = readCert("root.cert.pem");
  const issuing = readCert("issuing.cert.pem");

  it("has a self-signed root CA and an issuing CA (pathLen 0) signed by it", () => {
    expect(rootCert.ca && rootCert.checkIssued(rootCert) && rootCert.verify(rootCert.publicKey)).toBe(true);
    expect(issuing.checkIssued(rootCert) && issuing.verify(rootCert.publicKey)).toBe(true);
    const info = certInfo(new Uint8Array(issuing.raw));
    expect([info.isCa, info.pathLength]).toEqual([true, 0]);
  });

  it("has chain.pem = the issuing CA then the root", () => {
    const chain = readFileSync(join(testDir, "chain.pem"), "utf8");
    expect(chain).toBe(
      readFileSync(join(testDir, "issuing.cert.pem"), "utf8") + readFileSync(join(testDir, "root.cert.pem"), "utf8"),
    );
  });

  it("has a seal and a receipt certificate per agency, end entities signed by the issuing CA", () => {
    expect(agencyIds.length).toBeGreaterThan(1);
    const leaves = [
      ...agencyIds.flatMap((id) => [`agencies/${id}/seal.cert.pem`, `agencies/${id}/receipt.cert.pem`]),
      ...readdirSync(join(testDir, "revoked")).map((f) => `revoked/${f}`),
    ];
    for (const path of leaves) {
      const cert = readCert(path);
      expect(cert.ca, path).toBe(false);
      expect(cert.checkIssued(issuing) && cert.verify(issuing.publicKey), path).toBe(true);
    }
  });

  it("names each agency in its certificates' SAN (urn:jiexu:agency:<id>)", () => {
    for (const id of agencyIds) {
      for (const role of ["seal", "receipt"]) {
        const info = certInfo(new Uint8Array(readCert(`agencies/${id}/${role}.cert.pem`).raw));
        expect(info.agencyIds, `${id} ${role}`).toEqual([id]);
      }
    }
  });

  it("has the directory operator signed by the root", () => {
    const operator = readCert("operator.cert.pem");
    expect(operator.checkIssued(rootCert) && operator.verify(rootCert.publicKey)).toBe(true);
  });

  it("marks every certificate test-only in its organisation name", () => {
    for (const path of testCertFiles()) {
      const org = readCert(path)
        .subject.split("\n")
        .find((rdn) => rdn.startsWith("O="));
      expect(org, path).toContain(DEV_MARK);
    }
  });

  it("has CRLs signed by their CA, PEM and DER alike; the issuing CRL lists only the superseded seal", () => {
    for (const [name, ca] of [
      ["root", rootCert],
      ["issuing", issuing],
    ] as const) {
      const der = new Uint8Array(readFileSync(join(testDir, `${name}.crl.der`)));
      const pem = readFileSync(join(testDir, `${name}.crl.pem`), "utf8").replace(/-----[^-]+-----|\s/g, "");
      expect(Buffer.from(der).toString("base64"), name).toBe(pem);
      expect(isCrlSignedBy(parseCrl(der), certInfo(new Uint8Array(ca.raw))), name).toBe(true);
    }
    const issuingCrl = parseCrl(new Uint8Array(readFileSync(join(testDir, "issuing.crl.der"))));
    const revoked = readdirSync(join(testDir, "revoked")).map((f) =>
      readCert(`revoked/${f}`).serialNumber.toLowerCase(),
    );
    expect([...issuingCrl.revoked.keys()].sort()).toEqual(revoked.sort());
  });
});

describe("certs/README.md", () => {
  const readme = readFileSync(join(certsDir, "README.md"), "utf8");
  /** Rows of the fingerprint table: | `test/<path>` | `<sha256>` | <subject> | */
  const rows = [...readme.matchAll(/^\| `test\/([^`]+)` \| `([0-9a-f]{64})` \| (.+?) \|$/gm)].map((m) => ({
    path: m[1]!,
    sha256: m[2]!,
    subject: m[3]!,
  }));

  it("lists every committed certificate, and only those", () => {
    expect(rows.map((r) => r.path).sort()).toEqual(testCertFiles().sort());
  });

  it("states each certificate's SHA-256 fingerprint and subject as they are", () => {
    for (const row of rows) {
      expect(existsSync(join(testDir, row.path)), row.path).toBe(true);
      const cert = readCert(row.path);
      expect({ sha256: fingerprintOf(cert), subject: subjectOf(cert) }, row.path).toEqual({
        sha256: row.sha256,
        subject: row.subject,
      });
    }
  });

  it("says how the PKI was made, that certs/dev is ignored and that no private key is committed", () => {
    expect(readme).toContain("npx jiexu pki init --dir certs/test");
    expect(readme).toMatch(/certs\/dev\/.*no \(`\.gitignore`\)/);
    expect(readme).toContain("No private keys, ever");
  });
});
