import { describe, expect, it } from "vitest";
import { createSm2Verifier } from "../../src/pki/sm2-verify.ts";
import { generateSm2Key, signSm2, verifySm2 } from "../../src/pki/sm2.ts";
import { decodeSm2Signature } from "../../src/pki/sm2-signature.ts";

/**
 * One strict SM2 signature decoder for certificates, CRLs and seals (review of issue 16): a signature value has
 * exactly one accepted encoding, so `30 81 44 …` (a long-form length that fits the short form) and `02 81 20 r`
 * are refused by verifySm2 and the seal verifier alike, as are other re-encodings of a valid r, s.
 */
describe("strict SM2 signature encodings", () => {
  const key = generateSm2Key();
  const msg = new TextEncoder().encode("tbs");
  const der = signSm2(msg, key);
  const verifier = createSm2Verifier(key);
  const accepted = (sig: Uint8Array) => [verifier.verify(msg, sig), verifySm2(msg, sig, key)];

  // The INTEGERs of r and s inside the DER signature.
  const rLen = der[3]!;
  const r = der.subarray(2, 4 + rLen);
  const s = der.subarray(4 + rLen);
  const sequence = (...parts: number[][]) => {
    const body = parts.flat();
    return Uint8Array.from([0x30, body.length, ...body]);
  };

  it("accepts the minimal DER signature in both verifiers", () => {
    expect(accepted(der)).toEqual([true, true]);
  });

  it.each([
    ["the outer length in long form (30 81 xx)", Uint8Array.from([0x30, 0x81, der[1]!, ...der.subarray(2)])],
    ["r's length in long form (02 81 xx)", sequence([0x02, 0x81, r[1]!, ...r.subarray(2)], [...s])],
    ["s's length in long form (02 81 xx)", sequence([...r], [0x02, 0x81, s[1]!, ...s.subarray(2)])],
    ["the outer length in two-byte form (30 82 00 xx)", Uint8Array.from([0x30, 0x82, 0, der[1]!, ...der.subarray(2)])],
    ["a needless leading zero on r", sequence([0x02, r[1]! + 1, 0, ...r.subarray(2)], [...s])],
    ["a trailing byte", Uint8Array.from([...der, 0])],
    ["an indefinite length", Uint8Array.from([0x30, 0x80, ...der.subarray(2), 0, 0])],
    ["a third INTEGER", sequence([...r], [...s], [0x02, 0x01, 0x01])],
  ])("refuses %s in both verifiers", (_what, sig) => {
    expect(accepted(sig)).toEqual([false, false]);
  });

  it("decodes raw r‖s only where raw is allowed, and DER to the same r‖s", () => {
    const rs = decodeSm2Signature(der, false)!;
    const raw = Uint8Array.from(rs.match(/../g)!.map((b) => parseInt(b, 16)));
    expect(decodeSm2Signature(raw, true)).toBe(rs);
    expect(decodeSm2Signature(raw, false)).toBeUndefined();
    expect(verifySm2(msg, raw, key)).toBe(false); // certificates and CRLs: DER only
  });
});
