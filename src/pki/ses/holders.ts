import { sameBytes } from "../../domain/bytes.ts";
import type { CertInfo } from "../certificate.ts";
import { sm3 } from "../sm2-verify.ts";
import type { ParsedSeal } from "./parse.ts";

/**
 * Whether `cert` is one of the seal's holders (GB/T 38540-2020 §7.1 SES_CertList): by its bytes when the seal
 * lists certificates (certListType 1), by digest when it lists CertDigestObj (certListType 2), the digest
 * algorithm taken from the entry's `type` (SM3 or SHA-256, by name or OID; any other type matches nothing).
 * The one rule used by the sealer (refusing to sign for a non-holder) and the verifier (ISC.ses-signer-in-seal),
 * so the two cannot disagree on a digest list.
 */
export function isHolder(seal: ParsedSeal, cert: CertInfo): boolean {
  if (seal.certListType === 1) return seal.holders.some((h) => sameBytes(h, cert.der));
  return seal.holderDigests.some((d) => {
    const digest = digestOf(d.type, cert);
    return digest !== undefined && sameBytes(digest, d.value);
  });
}

// `type` is free text (research note §1): a hash name ("SM3", "sha256", …) or its OID.
const SM3_TYPE = /sm3|^1\.2\.156\.10197\.1\.401$/i;
const SHA256_TYPE = /sha-?256|^2\.16\.840\.1\.101\.3\.4\.2\.1$/i;

function digestOf(type: string, cert: CertInfo): Uint8Array | undefined {
  const t = type.trim();
  if (SM3_TYPE.test(t)) return sm3(cert.der);
  if (SHA256_TYPE.test(t)) return cert.sha256Bytes;
  return undefined;
}
