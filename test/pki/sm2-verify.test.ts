import { describe, expect, it } from "vitest";
import { toHex } from "../../src/domain/bytes.ts";
import { createSm2Verifier, decodeSm2Signature, sm3 } from "../../src/pki/sm2-verify.ts";
import { generateSm2Key, signSm2, verifySm2 } from "../../src/pki/sm2.ts";

const N = "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123";
const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));

/**
 * SM2 verification for GB/T 38540 (issue 16): DER or exactly 64 raw bytes, each with one encoding only and
 * 1 ≤ r, s < n (GB/T 32918.2 §7.1 B1–B2); the precomputed verifier agrees with verifySm2.
 */
describe("SM2 signature decoding and the precomputed verifier", () => {
  const key = generateSm2Key();
  const msg = new TextEncoder().encode("TBS_Sign bytes");
  const der = signSm2(msg, key);
  const verifier = createSm2Verifier(key);

  it("verifies DER and raw r‖s alike, and only over the signed bytes by the key", () => {
    const rs = decodeSm2Signature(der)!;
    expect(rs).toHaveLength(128);
    expect(verifier.verify(msg, der)).toBe(true);
    expect(verifySm2(msg, der, key)).toBe(true);
    expect(verifier.verify(msg, hex(rs))).toBe(true);
    expect(verifier.verify(msg, hex(rs), false)).toBe(false); // raw refused where only DER is allowed
    expect(verifier.verify(new TextEncoder().encode("other"), der)).toBe(false);
    expect(createSm2Verifier(generateSm2Key()).verify(msg, der)).toBe(false);
  });

  it("refuses out-of-range scalars and non-canonical encodings", () => {
    const rs = decodeSm2Signature(der)!;
    expect(decodeSm2Signature(hex("00".repeat(32) + rs.slice(64)))).toBeUndefined(); // r = 0
    expect(decodeSm2Signature(hex(N + rs.slice(64)))).toBeUndefined(); // r = n
    expect(decodeSm2Signature(hex(rs.slice(0, 64) + "ff".repeat(32)))).toBeUndefined(); // s > n
    expect(decodeSm2Signature(hex(`${rs}00`))).toBeUndefined(); // 65 bytes
    expect(decodeSm2Signature(Uint8Array.of(...der, 0))).toBeUndefined();
    const flipped = Uint8Array.from(der);
    flipped[0] = 0x31;
    expect(decodeSm2Signature(flipped)).toBeUndefined();
    const big = `00${N}`; // r = n in DER
    const derN = Uint8Array.of(0x30, 0x26, 0x02, 0x21, ...hex(big), 0x02, 0x01, 0x01);
    expect(decodeSm2Signature(derN)).toBeUndefined();
    const nMinus1 = (BigInt(`0x${N}`) - 1n).toString(16);
    const derOk = Uint8Array.of(0x30, 0x26, 0x02, 0x21, ...hex(`00${nMinus1}`), 0x02, 0x01, 0x01);
    expect(decodeSm2Signature(derOk)).toBe(`${nMinus1}${"0".repeat(63)}1`); // in range, so well-formed
  });

  it("hashes with SM3 (GB/T 32905 example 1: 'abc')", () => {
    expect(toHex(sm3(new TextEncoder().encode("abc")))).toBe(
      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
    );
    expect(toHex(sm3(new TextEncoder().encode("a"), new TextEncoder().encode("bc")))).toBe(
      toHex(sm3(new TextEncoder().encode("abc"))),
    );
  });
});
