import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toPem } from "../../../src/pki/issue.ts";
import { encodeSesSignature, encodeTbsSign } from "../../../src/pki/ses/encode.ts";
import { encodeSm2Pkcs8 } from "../../../src/pki/sm2.ts";
import { sm3 } from "../../../src/pki/sm2-verify.ts";
import { verifySeal } from "../../../src/pki/verify-seal.ts";
import { openssl, opensslOk, tempDir, writeTemp } from "../../fixtures/openssl.ts";
import { AT, CONTENT, SIGNED_AT, checkOf, expectVerdict, sealerFor, sesPki, type SesPki } from "./ses-pki.ts";

const DISTID = "distid:1234567812345678";

/**
 * GB/T 38540 structures checked by the `openssl` binary (issue 16 acceptance): the SES_SealInfo and TBS_Sign
 * bytes cut out with `asn1parse -strparse` verify under the maker's and signer's keys with the standard signer
 * ID (and not without it); an openssl-signed TBS_Sign put into an SES_Signature verifies here; the dump shows
 * v4's GeneralizedTime, IA5String "ES" and version 4.
 */
describe("SES structures, checked by openssl", () => {
  let dir: string;
  let pki: SesPki;
  let seal: Uint8Array;
  let signed: Uint8Array;
  const path = (name: string) => join(dir, name);

  /** Offsets of the top-level elements (d=1) of a DER file, as asn1parse prints them. */
  const topLevel = (file: string) =>
    opensslOk(["asn1parse", "-inform", "DER", "-in", path(file)])
      .split("\n")
      .filter((l) => /d=1 /.test(l))
      .map((l) => Number(/^\s*(\d+):/.exec(l)![1]));
  const cut = (file: string, offset: number, out: string) =>
    opensslOk([
      "asn1parse",
      "-inform",
      "DER",
      "-in",
      path(file),
      "-strparse",
      String(offset),
      "-noout",
      "-out",
      path(out),
    ]);
  const pubOf = (certDer: Uint8Array, name: string) => {
    writeTemp(dir, `${name}.cert.der`, certDer);
    writeTemp(
      dir,
      `${name}.pub.pem`,
      opensslOk(["x509", "-inform", "DER", "-in", path(`${name}.cert.der`), "-pubkey", "-noout"]),
    );
    return path(`${name}.pub.pem`);
  };
  const dgstVerify = (pub: string, sig: string, data: string, distid = true) =>
    openssl([
      "dgst",
      "-sm3",
      "-verify",
      pub,
      ...(distid ? ["-sigopt", DISTID] : []),
      "-signature",
      path(sig),
      path(data),
    ]);

  beforeAll(async () => {
    dir = tempDir("jiexu-ses-openssl-");
    pki = await sesPki();
    seal = pki.seal();
    signed = sealerFor(pki.holder, seal).seal(CONTENT, SIGNED_AT);
    writeTemp(dir, "seal.der", seal);
    writeTemp(dir, "signed.der", signed);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("verifies the maker's signature over SES_SealInfo with the standard signer ID", () => {
    const [info, cert, alg, sig] = topLevel("seal.der");
    expect([info, cert, alg, sig].every((o) => o !== undefined)).toBe(true);
    cut("seal.der", info!, "info.der");
    cut("seal.der", cert!, "maker.der");
    cut("seal.der", sig!, "seal-sig.der");
    expect(new Uint8Array(readFileSync(path("maker.der")))).toEqual(pki.maker.der);
    const pub = pubOf(pki.maker.der, "maker");
    expect(dgstVerify(pub, "seal-sig.der", "info.der").stdout).toContain("Verified OK");
    expect(dgstVerify(pub, "seal-sig.der", "info.der", false).stdout).not.toContain("Verified OK");
  });

  it("verifies the signer's signature over TBS_Sign with the standard signer ID", () => {
    const [tbs, cert, , sig] = topLevel("signed.der");
    cut("signed.der", tbs!, "tbs.der");
    cut("signed.der", cert!, "signer.der");
    cut("signed.der", sig!, "sig.der");
    expect(new Uint8Array(readFileSync(path("signer.der")))).toEqual(pki.holder.der);
    const pub = pubOf(pki.holder.der, "signer");
    expect(dgstVerify(pub, "sig.der", "tbs.der").stdout).toContain("Verified OK");
  });

  it("verifies an SES_Signature whose TBS_Sign openssl signed", () => {
    const tbs = encodeTbsSign(seal, SIGNED_AT, sm3(CONTENT), "/Doc_0/Signs/Sign_0/Signature.xml");
    writeTemp(dir, "our-tbs.der", tbs);
    writeTemp(dir, "holder.key.pem", toPem(encodeSm2Pkcs8(pki.holder.key), "PRIVATE KEY"));
    opensslOk([
      "dgst",
      "-sm3",
      "-sign",
      path("holder.key.pem"),
      "-sigopt",
      DISTID,
      "-out",
      path("o.sig"),
      path("our-tbs.der"),
    ]);
    const spliced = encodeSesSignature(tbs, pki.holder.der, new Uint8Array(readFileSync(path("o.sig"))));
    const r = verifySeal(CONTENT, spliced, { trust: pki.trust, crls: pki.crls, at: AT });
    expect(checkOf(r, "CV.ses-signature")).toBe("PASSED");
    expectVerdict(r, "TOTAL_PASSED");
  });

  it("writes v4: GeneralizedTime everywhere, IA5String 'ES', version INTEGER 4, whole-byte BIT STRINGs", () => {
    const dump = opensslOk(["asn1parse", "-inform", "DER", "-in", path("signed.der")]);
    expect(dump.match(/GENERALIZEDTIME\s*:\d{14}Z/g)).toHaveLength(4); // createDate, validStart, validEnd, timeInfo
    expect(dump).not.toContain("UTCTIME");
    expect(dump).toMatch(/IA5STRING\s*:ES\n/);
    expect(dump).toMatch(/IA5STRING\s*:JIEXU\n/);
    expect(dump.match(/INTEGER\s*:04\n/g)!.length).toBeGreaterThanOrEqual(2); // TBS_Sign.version, SES_Header.version
    expect(dump).toMatch(/UTF8STRING\s*:浙江省社会保险基金管理局业务专用章/);
    expect(dump.match(/OBJECT\s*:SM2-with-SM3/g)).toHaveLength(2); // 1.2.156.10197.1.501
  });
});
