import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrlReason, KeyUsage, toPem } from "../../src/pki/issue.ts";
import { certInfo, isSignedBy } from "../../src/pki/certificate.ts";
import { isCrlSignedBy, parseCrl } from "../../src/pki/crl.ts";
import { issueSm2Certificate, issueSm2Crl, type Sm2Issuer } from "../../src/pki/sm2-issue.ts";
import { SM2_OID, generateSm2Key, verifySm2 } from "../../src/pki/sm2.ts";

const DISTID = "distid:1234567812345678";
const NOW = new Date("2026-03-02T00:00:00Z");
const YEAR = 365 * 86_400_000;

/**
 * SM2 certificates and CRLs (issue 16 item 1) checked by the `openssl` binary: a root, an issuing CA and a
 * seal certificate binding 浙江 330000 form a chain `openssl verify` accepts with the standard signer ID (and
 * refuses without it); the CRL's signature verifies over its TBS bytes, and our CRL reader reads it.
 */
describe("SM2 certificates and CRLs, checked by openssl", () => {
  let dir: string;
  let root: Sm2Issuer;
  let issuing: Sm2Issuer;
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: "pipe", encoding: "utf8" }) as unknown as string;
  const write = (name: string, der: ArrayBuffer, label = "CERTIFICATE") =>
    writeFileSync(join(dir, name), toPem(der, label));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jiexu-sm2-issue-"));
    const rootKey = generateSm2Key();
    const rootCert = await issueSm2Certificate(
      {
        subject: "CN=接续 SM2 测试根 (development only), O=Jiexu",
        serialNumber: "01",
        notBefore: NOW,
        notAfter: new Date(NOW.getTime() + 10 * YEAR),
        publicKey: rootKey,
        ca: {},
        keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign,
      },
      { selfKey: rootKey },
    );
    root = { certificate: rootCert, key: rootKey };
    const issuingKey = generateSm2Key();
    issuing = {
      key: issuingKey,
      certificate: await issueSm2Certificate(
        {
          subject: "CN=接续 SM2 测试签发 (development only), O=Jiexu",
          serialNumber: "02",
          notBefore: NOW,
          notAfter: new Date(NOW.getTime() + 5 * YEAR),
          publicKey: issuingKey,
          ca: { pathLength: 0 },
          keyUsage: KeyUsage.keyCertSign | KeyUsage.cRLSign,
        },
        root,
      ),
    };
    write("root.pem", root.certificate.rawData);
    write("issuing.pem", issuing.certificate.rawData);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("issues a seal certificate whose chain openssl verifies with the standard signer ID, and only with it", async () => {
    const sealKey = generateSm2Key();
    const seal = await issueSm2Certificate(
      {
        subject: "CN=浙江省社会保险基金管理局 电子印章, O=浙江省社会保险基金管理局",
        serialNumber: "1001",
        notBefore: NOW,
        notAfter: new Date(NOW.getTime() + 2 * YEAR),
        publicKey: sealKey,
        keyUsage: KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
        agencyId: "330000",
      },
      issuing,
    );
    write("seal.pem", seal.rawData);
    // OpenSSL 3.0 applies -vfyopt's signer ID to the first signature it checks only, so each link is verified
    // on its own: the issuing CA under the root, the seal certificate under the issuing CA (-partial_chain).
    const at = ["-attime", String(NOW.getTime() / 1000 + 86_400)];
    expect(openssl("verify", "-CAfile", "root.pem", ...at, "-vfyopt", DISTID, "issuing.pem")).toContain(
      "issuing.pem: OK",
    );
    const link = ["verify", "-partial_chain", "-CAfile", "issuing.pem", ...at];
    expect(openssl(...link, "-vfyopt", DISTID, "seal.pem")).toContain("seal.pem: OK");
    expect(() => openssl(...link, "seal.pem")).toThrow();
    const text = openssl("x509", "-in", "seal.pem", "-noout", "-text");
    expect(text).toContain("SM2-with-SM3");
    expect(text).toContain("URI:urn:jiexu:agency:330000");
  });

  it("links the chain in our own certificate checks (isSignedBy) with the standard signer ID, and only the right issuer", async () => {
    const sealKey = generateSm2Key();
    const seal = await issueSm2Certificate(
      {
        subject: "CN=广东省社会保险基金管理局 电子印章",
        serialNumber: "1003",
        notBefore: NOW,
        notAfter: new Date(NOW.getTime() + YEAR),
        publicKey: sealKey,
        keyUsage: KeyUsage.digitalSignature,
        agencyId: "440000",
      },
      issuing,
    );
    const [rootInfo, issuingInfo, sealInfo] = [root.certificate, issuing.certificate, seal].map((c) =>
      certInfo(new Uint8Array(c.rawData)),
    );
    expect(sealInfo!.signatureAlgorithm).toBe(SM2_OID.sm3WithSm2);
    expect(sealInfo!.agencyIds).toEqual(["440000"]);
    expect(isSignedBy(sealInfo!, issuingInfo!)).toBe(true);
    expect(isSignedBy(issuingInfo!, rootInfo!)).toBe(true);
    expect(isSignedBy(rootInfo!, rootInfo!)).toBe(true);
    expect(isSignedBy(sealInfo!, rootInfo!)).toBe(false);
    // One byte of the signed part changed (the serial): the signature no longer holds.
    const altered = new Uint8Array(seal.rawData);
    const at = altered.indexOf(0x10, 8); // inside the serial 0x1003, near the start of the TBS
    altered[at] = altered[at]! ^ 0x01;
    expect(isSignedBy(certInfo(altered), issuingInfo!)).toBe(false);
  });

  it("issues a CRL whose signature verifies over its TBS bytes, with its entries and reasons", async () => {
    const crl = await issueSm2Crl(issuing, {
      thisUpdate: NOW,
      nextUpdate: new Date(NOW.getTime() + 7 * 86_400_000),
      entries: [{ serialNumber: "1002", revokedAt: NOW, reason: CrlReason.keyCompromise }],
    });
    write("issuing.crl.pem", crl.rawData, "X509 CRL");
    expect(openssl("crl", "-in", "issuing.crl.pem", "-noout", "-text")).toContain("Serial Number: 1002");
    const parsed = parseCrl(new Uint8Array(crl.rawData));
    expect(parsed.signatureAlgorithm).toBe(SM2_OID.sm3WithSm2);
    expect([...parsed.revoked.keys()].map((serial) => serial.replace(/^0+/, ""))).toEqual(["1002"]);
    expect([...parsed.revoked.values()][0]?.reason).toBe("keyCompromise");
    expect(verifySm2(parsed.tbs, parsed.signature, issuing.key)).toBe(true);
    expect(verifySm2(parsed.tbs, parsed.signature, root.key)).toBe(false);
    expect(isCrlSignedBy(parsed, certInfo(new Uint8Array(issuing.certificate.rawData)))).toBe(true);
    expect(isCrlSignedBy(parsed, certInfo(new Uint8Array(root.certificate.rawData)))).toBe(false);
    // openssl agrees on the signature, cut from the CRL's own bytes.
    writeFileSync(join(dir, "tbs.der"), parsed.tbs);
    writeFileSync(join(dir, "crl.sig"), parsed.signature);
    writeFileSync(join(dir, "issuing.pub.pem"), openssl("x509", "-in", "issuing.pem", "-noout", "-pubkey"));
    const ok = openssl(
      "dgst",
      "-sm3",
      "-verify",
      "issuing.pub.pem",
      "-sigopt",
      DISTID,
      "-signature",
      "crl.sig",
      "tbs.der",
    );
    expect(ok).toContain("Verified OK");
  });
});
