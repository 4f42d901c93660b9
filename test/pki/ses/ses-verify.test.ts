import { beforeAll, describe, expect, it } from "vitest";
import { OFFLINE_DEV_POLICY } from "../../../src/pki/policy.ts";
import { createSealVerifier } from "../../../src/pki/seal-verifier.ts";
import { createRevocationStore } from "../../../src/pki/trust.ts";
import { VerdictCache } from "../../../src/pki/verdict-cache.ts";
import { verifySeal, type VerifyOptions } from "../../../src/pki/verify-seal.ts";
import { encodeSesSignature, encodeTbsSign } from "../../../src/pki/ses/encode.ts";
import { parseSesSignature } from "../../../src/pki/ses/parse.ts";
import { verifySesSeal } from "../../../src/pki/ses/verify.ts";
import { signSm2 } from "../../../src/pki/sm2.ts";
import { sm3 } from "../../../src/pki/sm2-verify.ts";
import {
  AT,
  CONTENT,
  PICTURE,
  SIGNED_AT,
  checkOf,
  expectVerdict,
  flip,
  indexOf,
  sealerFor,
  sesPki,
  type SesPki,
  type Sm2Cred,
} from "./ses-pki.ts";

/**
 * GB/T 38540 SES_Signature verification through verifySeal (issue 16 deliverable 3): the happy path and the
 * tamper matrix, each asserted on the verdict and on the check the standard's step names.
 */
describe("SES signatures: verification and the tamper matrix", () => {
  let pki: SesPki;
  let seal: Uint8Array;
  let signed: Uint8Array;
  const cache = new VerdictCache();
  const options = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
    trust: pki.trust,
    crls: pki.crls,
    at: AT,
    cache,
    ...over,
  });
  const sealerOf = (cred: Sm2Cred, sesSeal = seal) => sealerFor(cred, sesSeal);
  /** An SES_Signature whose parts are given, signed by `cred` over the TBS_Sign built here. */
  const signRaw = (cred: Sm2Cred, sealBytes: Uint8Array, at = SIGNED_AT, content = CONTENT) => {
    const tbs = encodeTbsSign(sealBytes, at, sm3(content), "urn:jiexu:document");
    return encodeSesSignature(tbs, cred.der, signSm2(tbs, cred.key));
  };

  beforeAll(async () => {
    pki = await sesPki();
    seal = pki.seal();
    signed = sealerOf(pki.holder).seal(CONTENT, SIGNED_AT);
  });

  it("passes a signature by a holder of a seal made by a trusted maker, reporting signer, seal and chain", () => {
    const r = verifySeal(CONTENT, signed, options());
    expectVerdict(r, "TOTAL_PASSED");
    expect(r.format).toBe("ses");
    expect(r.signer?.agencyIds).toEqual(["330000"]);
    expect(r.signingTime).toBe(SIGNED_AT.toISOString());
    expect(r.seal).toMatchObject({ esId: "33000020260101A1", vid: "JIEXU", version: 4, type: 1 });
    expect(r.chain).toHaveLength(2);
    for (const id of ["FC.ses-structure", "CV.ses-signature", "ISC.ses-signer-in-seal", "CV.ses-seal-signature"])
      expect(checkOf(r, id)).toBe("PASSED");
    for (const id of ["SAV.ses-seal-validity", "SAV.ses-signing-time", "CV.ses-data-hash", "SAV.digest-algorithm"])
      expect(checkOf(r, id)).toBe("PASSED");
    expect(r.checks.some((c) => c.id === "XCV.chain[maker]" && c.status === "PASSED")).toBe(true);
    // The cached answer is the uncached one.
    expect(verifySeal(CONTENT, signed, options())).toEqual(verifySeal(CONTENT, signed, options({ cache: undefined })));
  });

  it("is verified by the gateway's verifier with no change of call, maker anchors configurable", () => {
    const verifier = createSealVerifier({ trust: pki.trust, crls: () => pki.crls });
    expectVerdict(verifier.verify(CONTENT, signed, AT, "seal"), "TOTAL_PASSED");
    const strict = createSealVerifier({ trust: pki.trust, crls: () => pki.crls, makerTrust: pki.otherTrust });
    expectVerdict(strict.verify(CONTENT, signed, AT, "seal"), "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
  });

  it("fails a changed document with HASH_FAILURE (CV.ses-data-hash)", () => {
    const r = verifySeal(flip(CONTENT, 100), signed, options());
    expectVerdict(r, "TOTAL_FAILED/HASH_FAILURE");
    expect(checkOf(r, "CV.ses-data-hash")).toBe("FAILED/HASH_FAILURE");
    expectVerdict(verifySeal(undefined, signed, options()), "INDETERMINATE/SIGNED_DATA_NOT_FOUND");
  });

  it("fails a changed seal picture on the maker's signature, even when a holder re-signs it", () => {
    const at = indexOf(signed, PICTURE.data.subarray(0, 32)) + 500;
    const r = verifySeal(CONTENT, flip(signed, at), options());
    expectVerdict(r, "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
    const resigned = signRaw(pki.holder, flip(seal, indexOf(seal, PICTURE.data.subarray(0, 32)) + 500));
    const again = verifySeal(CONTENT, resigned, options());
    expectVerdict(again, "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
    expect(checkOf(again, "CV.ses-seal-signature")).toBe("FAILED/SIG_CRYPTO_FAILURE");
    expect(checkOf(again, "CV.ses-signature")).toBe("PASSED");
  });

  it("fails a changed maker signature on CV.ses-seal-signature", () => {
    const sealSig = parseSesSignature(signed).sealBytes;
    const sigAt = sealSig.length - 10; // inside the maker's signature value, the seal's last field
    const resigned = signRaw(pki.holder, flip(sealSig, sigAt));
    const r = verifySeal(CONTENT, resigned, options());
    expectVerdict(r, "TOTAL_FAILED/SIG_CRYPTO_FAILURE");
    expect(checkOf(r, "CV.ses-seal-signature")).toBe("FAILED/SIG_CRYPTO_FAILURE");
  });

  it("never passes a changed signer certificate", () => {
    const start = indexOf(signed, pki.holder.der);
    for (const offset of [20, 200, pki.holder.der.length - 20]) {
      const r = verifySeal(CONTENT, flip(signed, start + offset), options());
      expect(r.indication).not.toBe("TOTAL_PASSED");
      const decided = r.checks.find((c) => c.status === "FAILED" && c.subIndication === r.subIndication)!;
      expect(["FC.ses-structure", "CV.ses-signature", "ISC.ses-signer-in-seal"]).toContain(decided.id);
    }
  });

  it("does not identify a signer who is not a holder of the seal", () => {
    const r = verifySeal(CONTENT, signRaw(pki.stranger, seal), options());
    expectVerdict(r, "INDETERMINATE/NO_SIGNING_CERTIFICATE_FOUND");
    expect(checkOf(r, "ISC.ses-signer-in-seal")).toBe("FAILED/NO_SIGNING_CERTIFICATE_FOUND");
    expect(() => sealerOf(pki.stranger)).toThrow(expect.objectContaining({ code: "SES_SIGNER_NOT_HOLDER" }));
  });

  it("finds no chain for a maker outside the maker trust anchors", () => {
    const r = verifySeal(CONTENT, signed, options({ makerTrust: pki.otherTrust }));
    expectVerdict(r, "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND");
    expect(checkOf(r, "XCV.chain[maker]")).toBe("FAILED/NO_CERTIFICATE_CHAIN_FOUND");
    expect(checkOf(r, "XCV.chain")).toBe("PASSED");
    expectVerdict(
      verifySesSeal(seal, options({ makerTrust: pki.otherTrust })),
      "INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND",
    );
  });

  it("fails a seal that had expired (or was not yet valid) at the signing time", () => {
    const late = new Date("2027-02-01T00:00:00Z");
    const r = verifySeal(CONTENT, signRaw(pki.holder, seal, late), options({ at: new Date("2027-03-01T00:00:00Z") }));
    expect(checkOf(r, "SAV.ses-seal-validity")).toBe("FAILED/SIG_CONSTRAINTS_FAILURE");
    expect(r.indication).not.toBe("TOTAL_PASSED");
    const early = verifySeal(CONTENT, signRaw(pki.holder, seal, new Date("2025-12-01T00:00:00Z")), options());
    expectVerdict(early, "INDETERMINATE/SIG_CONSTRAINTS_FAILURE");
    expect(() => sealerOf(pki.holder).seal(CONTENT, late)).toThrow(
      expect.objectContaining({ code: "SES_SEAL_INVALID" }),
    );
  });

  it("fails a revoked signer, and waits for revocation data (a warning under an optional policy)", () => {
    const r = verifySeal(CONTENT, sealerOf(pki.revoked).seal(CONTENT, SIGNED_AT), options());
    expectVerdict(r, "INDETERMINATE/REVOKED_NO_POE");
    const none = verifySeal(CONTENT, signed, options({ crls: createRevocationStore([]) }));
    expectVerdict(none, "INDETERMINATE/TRY_LATER");
    const optional = verifySeal(
      CONTENT,
      signed,
      options({ crls: createRevocationStore([]), policy: OFFLINE_DEV_POLICY }),
    );
    expectVerdict(optional, "TOTAL_PASSED");
    const warned = optional.checks.filter((c) => c.status === "WARNING").map((c) => c.id);
    expect(warned).toHaveLength(2); // the signer's and the maker's revocation, both under the root
    expect(warned.every((id) => id.startsWith("RFC.revocation["))).toBe(true);
    expect(warned.filter((id) => id.endsWith("[maker]"))).toHaveLength(1);
  });

  it("accepts a signer signature written as raw 64-byte r‖s, as some seal systems do", () => {
    const tbs = encodeTbsSign(seal, SIGNED_AT, sm3(CONTENT), "/Doc_0/Signs/Sign_0/Signature.xml");
    const der = signSm2(tbs, pki.holder.key);
    const raw = rawOf(der);
    expect(raw).toHaveLength(64);
    expectVerdict(verifySeal(CONTENT, encodeSesSignature(tbs, pki.holder.der, raw), options()), "TOTAL_PASSED");
    expectVerdict(
      verifySeal(CONTENT, encodeSesSignature(tbs, pki.holder.der, flip(raw, 63)), options()),
      "TOTAL_FAILED/SIG_CRYPTO_FAILURE",
    );
  });
});

/** r‖s of a DER SM2 signature, each left-padded to 32 bytes. */
function rawOf(der: Uint8Array): Uint8Array {
  const rLen = der[3]!;
  const r = der.subarray(4, 4 + rLen);
  const s = der.subarray(6 + rLen);
  const pad = (v: Uint8Array) =>
    Uint8Array.from([...new Array(32).fill(0), ...v.subarray(v.length > 32 ? 1 : 0)].slice(-32));
  return Uint8Array.from([...pad(r), ...pad(s)]);
}
