import { beforeAll, describe, expect, it } from "vitest";
import { createSealVerifier } from "../../../src/pki/seal-verifier.ts";
import { encodeSesSignature, encodeTbsSign } from "../../../src/pki/ses/encode.ts";
import { makeSeal } from "../../../src/pki/ses/make-seal.ts";
import { parseSesSignature } from "../../../src/pki/ses/parse.ts";
import { createSesSealer } from "../../../src/pki/ses/sealer.ts";
import { verifySesSeal } from "../../../src/pki/ses/verify.ts";
import { signSm2 } from "../../../src/pki/sm2.ts";
import { sm3 } from "../../../src/pki/sm2-verify.ts";
import { verifySeal, type VerifyOptions } from "../../../src/pki/verify-seal.ts";
import {
  AT,
  CONTENT,
  PICTURE,
  SIGNED_AT,
  checkOf,
  expectVerdict,
  sesPki,
  type SesPki,
  type Sm2Cred,
} from "./ses-pki.ts";

/**
 * Review of the SES verifier (issue 16): who may make a seal, the seal's validity now as well as at the claimed
 * signing time, and the unsigned timeStamp. A seal maker must chain to `makerTrust` when given, else chain to
 * `trust` and carry SAN urn:jiexu:seal-maker; a maker that is the signer (or a holder, or has their key) never
 * passes: ISC.ses-seal-maker, INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE.
 */
describe("SES seals: the seal maker, the seal's validity now, the timeStamp", () => {
  let pki: SesPki;
  const options = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
    trust: pki.trust,
    crls: pki.crls,
    at: AT,
    ...over,
  });
  const window = {
    createdAt: new Date("2026-01-01T00:00:00Z"),
    validStart: new Date("2026-01-01T00:00:00Z"),
    validEnd: new Date("2027-01-01T00:00:00Z"),
  };
  /** A seal of `holder` made by `maker`, and the holder's signature with it over CONTENT. */
  const sealedBy = (maker: Sm2Cred, holder: Sm2Cred, over: Partial<typeof window> = {}, signedAt = SIGNED_AT) => {
    const seal = makeSeal({
      makerKey: maker.key,
      makerCertificate: maker.der,
      holderCertificates: [holder.der],
      name: "上海市社会保险事业管理中心业务专用章",
      esId: `T${maker.serial}${holder.serial}`,
      picture: PICTURE,
      ...window,
      ...over,
    });
    const sealer = createSesSealer({ sm2: holder.key, certificate: holder.der, sesSeal: seal }, (m) => new Error(m));
    return { seal, signature: sealer.seal(CONTENT, signedAt) };
  };

  beforeAll(async () => {
    pki = await sesPki();
  });

  it("passes a seal by the dev maker (SAN urn:jiexu:seal-maker) with no makerTrust", () => {
    const r = verifySeal(CONTENT, sealedBy(pki.maker, pki.holder).signature, options());
    expectVerdict(r, "TOTAL_PASSED");
    expect(checkOf(r, "ISC.ses-seal-maker")).toBe("PASSED");
  });

  it("refuses a self-made seal (maker = signer), with or without makerTrust", () => {
    const { seal, signature } = sealedBy(pki.stranger, pki.stranger);
    for (const over of [{}, { makerTrust: pki.trust }]) {
      const r = verifySeal(CONTENT, signature, options(over));
      expectVerdict(r, "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
      expect(checkOf(r, "ISC.ses-seal-maker")).toBe("FAILED/CHAIN_CONSTRAINTS_FAILURE");
      expectVerdict(verifySesSeal(seal, options(over)), "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    }
  });

  it("refuses a seal made by another trusted certificate without the seal-maker URI when no makerTrust is given", () => {
    const { seal, signature } = sealedBy(pki.stranger, pki.holder);
    const r = verifySeal(CONTENT, signature, options());
    expectVerdict(r, "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    expect(checkOf(r, "ISC.ses-seal-maker")).toBe("FAILED/CHAIN_CONSTRAINTS_FAILURE");
    expect(checkOf(r, "XCV.chain[maker]")).toBe("PASSED"); // it chains: it is just not a seal maker
    expectVerdict(verifySesSeal(seal, options()), "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    // Named as a seal-maker anchor (CLI --maker-trust, directory sealMakers), the same maker is accepted.
    expectVerdict(verifySeal(CONTENT, signature, options({ makerTrust: pki.trust })), "TOTAL_PASSED");
    const gateway = createSealVerifier({ trust: pki.trust, crls: () => pki.crls });
    expectVerdict(gateway.verify(CONTENT, signature, AT, "seal"), "INDETERMINATE/CHAIN_CONSTRAINTS_FAILURE");
    expectVerdict(gateway.verify(CONTENT, signature, AT, "seal", [pki.root.der]), "TOTAL_PASSED");
  });

  it("checks the maker against makerTrust only when given: the dev maker outside it finds no chain", () => {
    const r = verifySeal(CONTENT, sealedBy(pki.maker, pki.holder).signature, options({ makerTrust: pki.otherTrust }));
    expectVerdict(r, "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
    expect(checkOf(r, "XCV.chain[maker]")).toBe("FAILED/NO_CERTIFICATE_CHAIN_FOUND");
  });

  it("fails a seal expired at the validation time even when timeInfo is backdated into its window", () => {
    const { signature } = sealedBy(
      pki.maker,
      pki.holder,
      { validStart: new Date("2025-01-01T00:00:00Z"), validEnd: new Date("2025-12-31T00:00:00Z") },
      new Date("2025-06-01T00:00:00Z"),
    );
    const r = verifySeal(CONTENT, signature, options());
    expectVerdict(r, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    expect(checkOf(r, "SAV.ses-seal-validity")).toBe("PASSED"); // at the claimed signing time
    expect(checkOf(r, "SAV.ses-seal-validity-at-validation")).toBe("FAILED/SIG_CONSTRAINTS_FAILURE");
  });

  it("reports an unsigned timeStamp as present and not evaluated (SAV.ses-timestamp WARNING)", () => {
    const seal = pki.seal();
    const tbs = encodeTbsSign(seal, SIGNED_AT, sm3(CONTENT), "urn:jiexu:document");
    const plain = encodeSesSignature(tbs, pki.holder.der, signSm2(tbs, pki.holder.key));
    const stamped = withTimeStamp(plain, Uint8Array.of(0x03, 0x03, 0x00, 0xde, 0xad));
    expect(parseSesSignature(stamped).timeStamp).toBeDefined();
    const r = verifySeal(CONTENT, stamped, options());
    expectVerdict(r, "TOTAL_PASSED");
    expect(checkOf(r, "SAV.ses-timestamp")).toBe("WARNING");
    expect(checkOf(verifySeal(CONTENT, plain, options()), "SAV.ses-timestamp")).toBe("absent");
  });
});

/** `der` (a SES_Signature SEQUENCE) with timeStamp [0] EXPLICIT `inner` appended inside it. */
function withTimeStamp(der: Uint8Array, inner: Uint8Array): Uint8Array {
  const headerLength = der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2;
  const body = [...der.subarray(headerLength), 0xa0, inner.length, ...inner];
  const n = body.length;
  const header = n < 0x80 ? [0x30, n] : n < 0x100 ? [0x30, 0x81, n] : [0x30, 0x82, n >> 8, n & 0xff];
  return Uint8Array.from([...header, ...body]);
}
