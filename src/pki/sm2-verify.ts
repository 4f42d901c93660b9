import { createHash } from "node:crypto";
import { sm2, sm3 as jsSm3 } from "sm-crypto-v2";
import { concatBytes, fromHex, toHex } from "../domain/bytes.ts";
import { Tag, childrenOf, readTlv, valueOf, type Tlv } from "./der.ts";
import { SM2_DEFAULT_ID, readSm2Spki, spkiOf, type Sm2PublicKey } from "./sm2.ts";

/**
 * SM2 verification for GB/T 38540 seals (issue 16): signatures as DER or as the raw 64-byte r‖s some real
 * seal systems write (research §1.4: SHANDONG.TONGZHIWEIYE), both decoded strictly (one encoding, 1 ≤ r, s < n,
 * GB/T 32918.2 §7.1 B1–B2) before sm-crypto-v2 sees them, since its own DER decoding is lax. A verifier keeps
 * the key's precomputed point and Z (GB/T 32918.2 §5.5) so that a known signer costs one SM3 and one scalar
 * multiplication pair.
 */

/** The order n of the SM2 curve (GB/T 32918.5). */
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/** r‖s as 128 hex digits, from a strict DER SEQUENCE { r, s } or (when `raw`) exactly 64 bytes; else undefined. */
export function decodeSm2Signature(sig: Uint8Array, raw = true): string | undefined {
  if (raw && sig.length === 64) {
    const r = toHex(sig.subarray(0, 32));
    const s = toHex(sig.subarray(32));
    return inRange(BigInt(`0x${r}`)) && inRange(BigInt(`0x${s}`)) ? r + s : undefined;
  }
  try {
    const top = readTlv(sig, 0);
    if (top.tag !== Tag.SEQUENCE || top.end !== sig.length || sig[1] === 0x80) return undefined;
    const parts = childrenOf(sig, top);
    if (parts.length !== 2) return undefined;
    const [r, s] = parts.map((p) => minimalInteger(sig, p));
    if (r === undefined || s === undefined || !inRange(r) || !inRange(s)) return undefined;
    return r.toString(16).padStart(64, "0") + s.toString(16).padStart(64, "0");
  } catch {
    return undefined;
  }
}

function minimalInteger(b: Uint8Array, t: Tlv): bigint | undefined {
  if (t.tag !== Tag.INTEGER || b[t.start + 1]! >= 0x80) return undefined; // ≤ 33 bytes: short form only
  const v = valueOf(b, t);
  if (v.length === 0 || v[0]! & 0x80) return undefined; // empty or negative
  if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) return undefined; // a needless leading zero
  return BigInt(`0x${toHex(v)}`);
}

function inRange(n: bigint): boolean {
  return n >= 1n && n < SM2_N;
}

/** Node's SM3 when its OpenSSL has it (about 2.5× sm-crypto-v2's), else sm-crypto-v2's (workerd's BoringSSL has none). */
let nativeSm3: boolean | undefined;
export function sm3(...parts: Uint8Array[]): Uint8Array {
  if (nativeSm3 === undefined) {
    try {
      createHash("sm3");
      nativeSm3 = true;
    } catch {
      nativeSm3 = false;
    }
  }
  if (nativeSm3) {
    const h = createHash("sm3");
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  }
  return fromHex(jsSm3(parts.length === 1 ? parts[0]! : concatBytes(parts)))!;
}

export interface Sm2Verifier {
  readonly publicKeyHex: string;
  /** Whether `sig` (DER, or raw 64 bytes when `raw`) is this key's signature over `data` with the standard ID. */
  verify(data: Uint8Array, sig: Uint8Array, raw?: boolean): boolean;
}

/** A verifier holding the key's precomputed point and Z (computed once per key). */
export function createSm2Verifier(key: Sm2PublicKey): Sm2Verifier {
  const point = sm2.precomputePublicKey(key.publicKeyHex);
  const z = sm2.getZ(key.publicKeyHex, SM2_DEFAULT_ID);
  return {
    publicKeyHex: key.publicKeyHex,
    verify(data, sig, raw = true) {
      const rs = decodeSm2Signature(sig, raw);
      if (!rs) return false;
      try {
        return sm2.doVerifySignature(sm3(z, data), rs, point, { hash: false, der: false });
      } catch {
        return false; // a point or scalar sm-crypto-v2 refuses is a failed verification, not an exception
      }
    },
  };
}

/** The SM2 key a certificate certifies; throws KeyError when it is not one. */
export function sm2KeyOfCertificate(certificateDer: Uint8Array): Sm2PublicKey {
  return readSm2Spki(spkiOf(certificateDer));
}
