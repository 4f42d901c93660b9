import { createHash } from "node:crypto";
import { sm2, sm3 as jsSm3 } from "sm-crypto-v2";
import { concatBytes, fromHex } from "../domain/bytes.ts";
import { decodeSm2Signature } from "./sm2-signature.ts";
import { SM2_DEFAULT_ID, type Sm2PublicKey } from "./sm2.ts";

/**
 * SM2 verification for GB/T 38540 seals (issue 16): signatures as DER or as the raw 64-byte r‖s some real
 * seal systems write (research §1.4: SHANDONG.TONGZHIWEIYE), both decoded strictly by sm2-signature.ts (one
 * encoding, 1 ≤ r, s < n, GB/T 32918.2 §7.1 B1–B2) before sm-crypto-v2 sees them, since its own DER decoding is lax. A verifier keeps
 * the key's precomputed point and Z (GB/T 32918.2 §5.5) so that a known signer costs one SM3 and one scalar
 * multiplication pair.
 */

export { decodeSm2Signature } from "./sm2-signature.ts";

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
