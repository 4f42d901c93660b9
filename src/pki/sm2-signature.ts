import { toHex } from "../domain/bytes.ts";

/**
 * The one strict decoder of SM2 signature values (GB/T 32918.2 §7.1 B1–B2; GB/T 35276 §7: SEQUENCE { r
 * INTEGER, s INTEGER }), shared by certificate/CRL verification (sm2.ts) and seal verification
 * (sm2-verify.ts). A signature must have exactly one encoding, or a signed seal gets malleable copies with
 * other bytes: sm-crypto-v2 decodes DER laxly, so it only ever sees r‖s decoded here.
 * Exact DER: an SM2 signature is at most 2 + 2 × 35 = 72 bytes, so every length is in the short form (a long
 * form like `30 81 44` or `02 81 20` is not minimal, X.690 §10.1); each INTEGER positive with no needless
 * leading zero; nothing after the SEQUENCE; 1 ≤ r, s < n. Raw r‖s (exactly 64 bytes, as some real seal
 * systems write it: research note §1.4) only where the caller allows it.
 */

/** The order n of the SM2 curve (GB/T 32918.5). */
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/** r‖s as 128 hex digits, from a strict DER SEQUENCE { r, s } or (when `raw`) exactly 64 bytes; else undefined. */
export function decodeSm2Signature(sig: Uint8Array, raw = true): string | undefined {
  if (raw && sig.length === 64) return pair(sig.subarray(0, 32), sig.subarray(32));
  // SEQUENCE, short-form length covering the rest exactly.
  if (sig.length < 8 || sig[0] !== 0x30 || sig[1] !== sig.length - 2 || sig[1]! >= 0x80) return undefined;
  const r = integerAt(sig, 2);
  if (!r) return undefined;
  const s = integerAt(sig, r.end);
  if (!s || s.end !== sig.length) return undefined;
  return pair(r.value, s.value);
}

/** A minimal positive DER INTEGER of at most 33 bytes at `pos` (short-form length). */
function integerAt(b: Uint8Array, pos: number): { value: Uint8Array; end: number } | undefined {
  const len = b[pos + 1];
  if (b[pos] !== 0x02 || len === undefined || len < 1 || len > 33) return undefined;
  const end = pos + 2 + len;
  if (end > b.length) return undefined;
  const v = b.subarray(pos + 2, end);
  if (v[0]! & 0x80) return undefined; // negative
  if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined; // a needless leading zero
  return { value: v, end };
}

function pair(r: Uint8Array, s: Uint8Array): string | undefined {
  const rn = BigInt(`0x${toHex(r) || "0"}`);
  const sn = BigInt(`0x${toHex(s) || "0"}`);
  if (!inRange(rn) || !inRange(sn)) return undefined;
  return rn.toString(16).padStart(64, "0") + sn.toString(16).padStart(64, "0");
}

function inRange(n: bigint): boolean {
  return n >= 1n && n < SM2_N;
}
