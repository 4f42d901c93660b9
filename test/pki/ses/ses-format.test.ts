import { beforeAll, describe, expect, it } from "vitest";
import { bitString, explicit, octetString, oid, seq, tlv } from "../../../src/pki/der-write.ts";
import { SealKeyError, createSealer } from "../../../src/pki/seal.ts";
import { detectSealFormat } from "../../../src/pki/ses/detect.ts";
import { encodeSesSignature, encodeTbsSign, generalizedTime, ia5, integer } from "../../../src/pki/ses/encode.ts";
import { SesError } from "../../../src/pki/ses/errors.ts";
import { makeSeal, readSeal } from "../../../src/pki/ses/make-seal.ts";
import { verifySesSeal } from "../../../src/pki/ses/verify.ts";
import { generateSm2Key, signSm2 } from "../../../src/pki/sm2.ts";
import { sm3 } from "../../../src/pki/sm2-verify.ts";
import { verifySeal } from "../../../src/pki/verify-seal.ts";
import { AT, CONTENT, PICTURE, SIGNED_AT, checkOf, flip, indexOf, sealerFor, sesPki, type SesPki } from "./ses-pki.ts";

/**
 * What the GB/T 38540 reader refuses, and how (issue 16): other versions and formats with a reason, hostile
 * bytes without throwing, making and sealing mistakes with coded errors.
 */
describe("SES format: versions, hostile input, making and sealing errors", () => {
  let pki: SesPki;
  let seal: Uint8Array;
  let signed: Uint8Array;
  const verify = (der: Uint8Array) => verifySeal(CONTENT, der, { trust: pki.trust, crls: pki.crls, at: AT });
  const formatFailure = (der: Uint8Array) => {
    const r = verify(der);
    expect(`${r.indication}/${r.subIndication}`).toBe("TOTAL_FAILED/FORMAT_FAILURE");
    return reasonOf(r.checks.find((c) => c.status === "FAILED")!.detail);
  };
  /** The closed SesFormatReason code FC.ses-structure's detail starts with. */
  const reasonOf = (detail: string) => detail.split(":")[0];
  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return err instanceof SesError ? err.code : (err as Error).name;
    }
    return "no error";
  };

  beforeAll(async () => {
    pki = await sesPki();
    seal = pki.seal();
    signed = sealerFor(pki.holder, seal).seal(CONTENT, SIGNED_AT);
  });

  it("refuses GM/T 0031-2014 (v1), v5 and GM/T 0010 PKCS#7 with the reason", () => {
    const v1Seal = seq(
      seq(),
      seq(octetString(pki.maker.der), oid("1.2.156.10197.1.501"), bitString(new Uint8Array(64))),
    );
    const v1Tbs = seq(integer(1), v1Seal, bitString(new Uint8Array(4)), bitString(new Uint8Array(32)), ia5("x", "p"));
    expect(formatFailure(seq(v1Tbs, bitString(new Uint8Array(64))))).toBe("SES_UNSUPPORTED_VERSION");
    expect(reasonOf(verifySesSeal(v1Seal, { trust: pki.trust, at: AT }).checks[0]!.detail)).toBe(
      "SES_UNSUPPORTED_VERSION",
    );
    expect(() => readSeal(v1Seal)).toThrow(
      expect.objectContaining({ code: "SES_FORMAT", reason: "SES_UNSUPPORTED_VERSION" }),
    );
    const v5Seal = tlv(0x30, seal.subarray(4), explicit(0, bitString(new Uint8Array(8))));
    const v5 = encodeSesSignature(
      encodeTbsSign(v5Seal, SIGNED_AT, sm3(CONTENT), "p"),
      pki.holder.der,
      new Uint8Array(64),
    );
    expect(formatFailure(v5)).toBe("SES_UNSUPPORTED_VERSION");
    const gmt0010 = seq(oid("1.2.156.10197.6.1.4.2.2"), explicit(0, seq(integer(1))));
    expect(formatFailure(gmt0010)).toBe("SES_NOT_SES");
  });

  it("refuses truncated, extended and oversized inputs as FORMAT_FAILURE without throwing", () => {
    for (let n = 0; n < signed.length; n += 211)
      expect(verify(signed.subarray(0, n)).subIndication).toBe("FORMAT_FAILURE");
    formatFailure(Uint8Array.of(...signed, 0));
    const huge = Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xf0, ...signed.subarray(4));
    formatFailure(huge);
    const inner = Uint8Array.of(...signed.subarray(0, 4), 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, ...signed.subarray(8));
    formatFailure(inner);
    // A length in long form where the short form fits (not DER), inside the signed TBS_Sign.
    const tbs = encodeTbsSign(seal, SIGNED_AT, sm3(CONTENT), "p");
    const at = tbs.indexOf(0x16, tbs.length - 4); // IA5String "p"
    const loose = Uint8Array.of(...tbs.subarray(0, at), 0x16, 0x81, 0x01, 0x70);
    const relen = tlv(0x30, loose.subarray(4));
    expect(formatFailure(encodeSesSignature(relen, pki.holder.der, signSm2(relen, pki.holder.key)))).toBe(
      "SES_MALFORMED",
    );
  });

  it("refuses a critical extension it does not process, and another signature algorithm", () => {
    const ext = seq(seq(oid("1.3.6.1.5.5.7.1.4"), Uint8Array.of(0x01, 0x01, 0xff), octetString(Uint8Array.of(5))));
    const base = encodeTbsSign(seal, SIGNED_AT, sm3(CONTENT), "p");
    const tbs = tlv(0x30, base.subarray(4), explicit(0, ext));
    const r = verify(encodeSesSignature(tbs, pki.holder.der, signSm2(tbs, pki.holder.key)));
    expect(checkOf(r, "FC.ses-extensions")).toBe("FAILED/FORMAT_FAILURE");
    const other = seq(
      base,
      octetString(pki.holder.der),
      oid("1.2.840.10045.4.3.2"),
      bitString(signSm2(base, pki.holder.key)),
    );
    expect(formatFailure(other)).toBe("SES_UNSUPPORTED_ALGORITHM");
  });

  it("refuses a signer certificate whose SM2 key is not a point on the curve", () => {
    const point = Uint8Array.from(Buffer.from(pki.holder.key.publicKeyHex, "hex"));
    const certAt = signed.length - 100 - pki.holder.der.length; // the signer certificate follows TBS_Sign
    const at = certAt + indexOf(signed.subarray(certAt), point) + point.length - 1;
    expect(formatFailure(flip(signed, at))).toBe("SES_BAD_CERTIFICATE");
  });

  it("detects the format of a seal by its shape, never throwing", () => {
    expect(detectSealFormat(signed)).toBe("ses");
    expect(detectSealFormat(seq(oid("1.2.840.113549.1.7.2"), explicit(0, seq())))).toBe("cades");
    expect(detectSealFormat(new TextEncoder().encode("not a seal"))).toBe("unknown");
    expect(detectSealFormat(new Uint8Array())).toBe("unknown");
    expect(detectSealFormat(Uint8Array.of(0x30, 0x84, 0xff))).toBe("unknown");
  });

  it("reads what a seal says, and refuses what is not a v4 seal with SES_FORMAT", () => {
    const s = readSeal(seal);
    expect(s).toMatchObject({
      esId: "33000020260101A1",
      name: "浙江省社会保险基金管理局业务专用章",
      vid: "JIEXU",
      type: 1,
    });
    expect(s).toMatchObject({
      version: 4,
      validStart: "2026-01-01T00:00:00.000Z",
      validEnd: "2027-01-01T00:00:00.000Z",
    });
    expect(s.holderSha256).toHaveLength(2);
    expect(s.picture).toMatchObject({ type: "PNG", widthMm: 40, heightMm: 40 });
    expect(codeOf(() => readSeal(signed))).toBe("SES_FORMAT");
    expect(codeOf(() => readSeal(seal.subarray(0, 100)))).toBe("SES_FORMAT");
    expect(readSeal(pki.seal({ esId: undefined })).esId).toMatch(/^33000020260101[0-9A-F]{4}$/);
  });

  it("refuses to make a seal with the wrong maker key, bad fields or no SM2 holder", () => {
    expect(codeOf(() => pki.seal({ makerKey: generateSm2Key() }))).toBe("SES_KEY_MISMATCH");
    expect(codeOf(() => pki.seal({ esId: "浙江-1" }))).toBe("SES_INPUT");
    expect(codeOf(() => pki.seal({ validEnd: new Date("2025-01-01T00:00:00Z") }))).toBe("SES_INPUT");
    expect(codeOf(() => pki.seal({ holderCertificates: [] }))).toBe("SES_INPUT");
    expect(codeOf(() => pki.seal({ holderCertificates: [CONTENT] }))).toBe("SES_INPUT");
    expect(codeOf(() => generalizedTime(new Date(Number.NaN)))).toBe("SES_INPUT");
    expect(codeOf(() => makeSeal({ ...base(), picture: { ...PICTURE, widthMm: -1 } }))).toBe("SES_INPUT");
  });

  it("refuses sealing with a key not the certificate's, an altered seal, or attached content", () => {
    const key = { privateKey: undefined as never, certificate: pki.holder.der, sm2: generateSm2Key(), sesSeal: seal };
    expect(() => createSealer(key)).toThrow(SealKeyError);
    expect(() => createSealer({ ...key, sm2: undefined })).toThrow(SealKeyError);
    const altered = Uint8Array.from(seal);
    altered[2000]! ^= 1; // in the picture
    expect(codeOf(() => createSealer({ ...key, sm2: pki.holder.key, sesSeal: altered }))).toBe("SES_SEAL_INVALID");
    const sealer = createSealer({ ...key, sm2: pki.holder.key });
    expect(codeOf(() => sealer.seal(CONTENT, SIGNED_AT, { attached: true }))).toBe("SES_INPUT");
    expect(codeOf(() => sealer.seal(CONTENT, SIGNED_AT, { propertyInfo: "文件" }))).toBe("SES_INPUT");
    expect(sealer.agencyIds).toEqual(["330000"]);
  });

  function base() {
    return {
      makerKey: pki.maker.key,
      makerCertificate: pki.maker.der,
      holderCertificates: [pki.holder.der],
      name: "n",
      picture: PICTURE,
      createdAt: SIGNED_AT,
      validStart: SIGNED_AT,
      validEnd: AT,
    };
  }
});
