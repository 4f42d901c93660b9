import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SEAL_MAKER_URI, type DevCredential, type DevPki } from "../../src/dev/pki.ts";
import { issueDev } from "../../src/dev/pki-issue.ts";
import { DEV_P12_PASSWORD, devPkiFiles, type devPkiManifest } from "../../src/dev/pki-files.ts";
import { certInfo, isSignedBy, type CertInfo } from "../../src/pki/certificate.ts";
import { validateChain } from "../../src/pki/chain.ts";
import { isCrlSignedBy, parseCrl } from "../../src/pki/crl.ts";
import { openSealedDirectory } from "../../src/pki/directory-seal.ts";
import { KeyUsage } from "../../src/pki/issue.ts";
import { KeyError, loadPrivateKey } from "../../src/pki/keys.ts";
import { DEFAULT_POLICY } from "../../src/pki/policy.ts";
import { conclude } from "../../src/pki/report.ts";
import { SM2_OID, signSm2, verifySm2 } from "../../src/pki/sm2.ts";
import { createRevocationStore, createTrustStore } from "../../src/pki/trust.ts";
import { FIXTURE_NOW, devPkiFixture, writeDevPki } from "../fixtures/dev-pki.ts";
import { directoryOf, sealWithOperator, trustOf } from "../fixtures/directory.ts";
import { openssl, tempDir } from "../fixtures/openssl.ts";

/**
 * The SM2 development PKI (issue 16): `createDevPki({ algorithm: "sm2" })` lays out the usual files plus the seal
 * maker (制章者); CAs, seals and the maker are SM2 and every certificate and CRL is signed SM3withSM2 with the
 * standard signer ID; the CAdES-only roles (receipts, directory operator) are ECDSA P-256 under the SM2 CAs.
 */
const AT = new Date(FIXTURE_NOW.getTime() + 86_400_000);
const DISTID = "distid:1234567812345678";
let pki: DevPki;
let dir: string;
const info = (c: DevCredential) => certInfo(c.certificateDer);
const utf8 = (text: string) => new TextEncoder().encode(text);

beforeAll(async () => {
  pki = await devPkiFixture("sm2", undefined);
  dir = await writeDevPki(pki, tempDir("jiexu-dev-sm2-"));
});

function chainVerdict(c: DevCredential) {
  const key = {
    signer: info(c),
    trust: createTrustStore([pki.root.certificateDer]),
    crls: createRevocationStore([pki.root.crl.der, pki.issuing.crl.der]),
    policy: DEFAULT_POLICY,
    at: AT,
    embedded: [pki.issuing.certificateDer],
  };
  return conclude(validateChain(key, () => [info(pki.issuing)]).checks);
}

describe("createDevPki (sm2)", () => {
  it("writes the usual layout plus the seal maker, listed in manifest.json and the README", async () => {
    const paths = (await devPkiFiles(pki)).map((f) => f.path);
    for (const p of ["root.crl.der", "issuing.crl.pem", "chain.pem", "operator.key.pem", "agencies/510000/seal.p12"])
      expect(paths).toContain(p);
    expect(paths).toContain("maker/maker.cert.pem");
    expect(paths).toContain("maker/maker.key.pem");
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as ReturnType<typeof devPkiManifest>;
    expect(manifest.algorithm).toBe("sm2");
    expect(manifest.maker).toMatchObject({ cert: "maker/maker.cert.pem", key: "maker/maker.key.pem" });
    expect(manifest.maker?.sha256).toBe(pki.maker!.fingerprint);
    const readme = readFileSync(join(dir, "README.txt"), "utf8");
    expect(readme).toContain("maker/maker.cert.pem");
    expect(readme).toContain("distid:1234567812345678");
  });

  it("gives SM2 keys to the CAs, the seals and the maker, ECDSA P-256 to receipts and the operator, all signed SM3withSM2", () => {
    const sm2 = [pki.root, pki.issuing, pki.maker!, pki.revoked[0]!.credential, ...pki.agencies.map((a) => a.seal)];
    for (const c of sm2) expect(info(c)).toMatchObject({ keyType: "sm2", curve: "SM2", signatureHash: "sm3" });
    for (const c of [pki.operator, ...pki.agencies.map((a) => a.receipt)])
      expect(info(c)).toMatchObject({ keyType: "ec", curve: "prime256v1", signatureHash: "sm3" });
    expect(info(pki.root).signatureAlgorithm).toBe(SM2_OID.sm3WithSm2);
  });

  it("has every certificate verify by its issuer's key, and no other", () => {
    const [root, issuing] = [info(pki.root), info(pki.issuing)];
    const underIssuing = [...pki.agencies.flatMap((a) => [a.seal, a.receipt]), pki.revoked[0]!.credential];
    const check = (c: CertInfo, by: CertInfo, other: CertInfo) => {
      expect(isSignedBy(c, by), c.subject).toBe(true);
      expect(isSignedBy(c, other), c.subject).toBe(false);
    };
    for (const c of underIssuing) check(info(c), issuing, root);
    for (const c of [pki.issuing, pki.operator, pki.maker!]) check(info(c), root, issuing);
    expect(isSignedBy(root, root)).toBe(true);
  });

  it("makes the seal maker: root-issued, SAN urn:jiexu:seal-maker, digitalSignature+nonRepudiation, TOTAL_PASSED", () => {
    const maker = info(pki.maker!);
    expect(maker.subject).toContain("CN=Jiexu Seal Maker (JIEXU DEVELOPMENT ONLY)");
    expect(maker.uris).toEqual([SEAL_MAKER_URI]);
    expect(maker.agencyIds).toEqual([]);
    expect(maker.issuerDer).toBe(info(pki.root).subjectDer);
    expect(chainVerdict(pki.maker!).indication).toBe("TOTAL_PASSED");
  });

  it("signs CRLs SM3withSM2; the issuing CA's lists the superseded seal certificate, which is revoked, the current seals pass", () => {
    const [rootCrl, issuingCrl] = [parseCrl(pki.root.crl.der), parseCrl(pki.issuing.crl.der)];
    expect(isCrlSignedBy(rootCrl, info(pki.root))).toBe(true);
    expect(isCrlSignedBy(issuingCrl, info(pki.issuing))).toBe(true);
    const superseded = pki.revoked[0]!.credential;
    expect(issuingCrl.revoked.get(info(superseded).serialHex)?.reason).toBe("superseded");
    expect(chainVerdict(superseded).subIndication).toBe("REVOKED_NO_POE");
    for (const a of pki.agencies) expect(chainVerdict(a.seal).indication, a.spec.id).toBe("TOTAL_PASSED");
  });

  it("reloads every key with its certificate through loadPrivateKey (SM2 keys with `sm2`), and seal.p12 too", async () => {
    for (const c of [pki.root, pki.issuing, pki.maker!, ...pki.agencies.map((a) => a.seal)]) {
      const loaded = await loadPrivateKey(utf8(c.privateKeyPem), { certificate: c.certificateDer });
      const data = utf8(c.subject);
      expect(verifySm2(data, signSm2(data, loaded.sm2!), info(c).sm2Key!)).toBe(true);
    }
    for (const c of [pki.operator, pki.agencies[0]!.receipt]) {
      const loaded = await loadPrivateKey(utf8(c.privateKeyPem), { certificate: c.certificateDer });
      expect([loaded.privateKey.asymmetricKeyType, loaded.sm2]).toEqual(["ec", undefined]);
    }
    const p12 = new Uint8Array(readFileSync(join(dir, "agencies/510000/seal.p12")));
    const fromP12 = await loadPrivateKey(p12, { password: DEV_P12_PASSWORD });
    const seal = pki.agencies.find((a) => a.spec.id === "510000")!.seal;
    expect(fromP12.certificate).toEqual(seal.certificateDer);
    expect(fromP12.chain).toEqual([pki.issuing.certificateDer, pki.root.certificateDer]);
    expect(fromP12.sm2).toBeDefined();
  });

  it("passes openssl verify link by link with the standard signer ID (-vfyopt), and fails without it", () => {
    const at = ["-attime", String(AT.getTime() / 1000)];
    const link = (ca: string, cert: string, id = true) =>
      openssl([
        ...["verify", "-partial_chain", "-CAfile", join(dir, ca), ...at],
        ...(id ? ["-vfyopt", DISTID] : []),
        join(dir, cert),
      ]);
    for (const [ca, cert] of [
      ["root.cert.pem", "issuing.cert.pem"],
      ["issuing.cert.pem", "agencies/510000/seal.cert.pem"],
      ["issuing.cert.pem", "agencies/510000/receipt.cert.pem"],
      ["root.cert.pem", "maker/maker.cert.pem"],
      ["root.cert.pem", "operator.cert.pem"],
    ] as const) {
      expect(link(ca, cert).stdout, cert).toContain(": OK");
      expect(link(ca, cert, false).status, cert).not.toBe(0);
    }
  });

  it("seals and opens the directory with the ECDSA operator under the SM2 root", () => {
    const directory = directoryOf(pki, { sequence: 1, issuedAt: FIXTURE_NOW });
    const sealed = sealWithOperator(pki, directory, AT);
    const opened = openSealedDirectory(utf8(sealed), { ...trustOf(pki), at: AT });
    expect(opened.report.indication).toBe("TOTAL_PASSED");
  });
});

describe("issueDev", () => {
  it("refuses an SM2 key under a non-SM2 CA with KEY_UNSUPPORTED", async () => {
    const ctx = { now: FIXTURE_NOW, random: (b: Uint8Array<ArrayBuffer>) => crypto.getRandomValues(b) };
    const ca = { subject: "CN=P-256 CA", years: 1, keyUsage: KeyUsage.keyCertSign, ca: {} };
    const { issuer } = await issueDev(ctx, ca, "ecdsa-p256", undefined);
    const seal = { subject: "CN=SM2 seal", years: 1, keyUsage: KeyUsage.nonRepudiation };
    const err = await issueDev(ctx, seal, "sm2", issuer).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyError);
    expect((err as KeyError).code).toBe("KEY_UNSUPPORTED");
  });
});
