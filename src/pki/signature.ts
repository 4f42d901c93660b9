import { constants, verify as cryptoVerify } from "node:crypto";
import type { CertInfo } from "./certificate.ts";
import type { ParsedSignerInfo } from "./cms-parse.ts";
import { DerError, Tag, childrenOf, contextTag, decodeOid, readTlv, valueOf, type Tlv } from "./der.ts";
import { OID, hashFromOid, hashOfSignatureAlgorithm, schemeOfSignatureAlgorithm, type HashAlgorithm } from "./oids.ts";

/**
 * Verify the SignerInfo's signature value over the DER of its signed attributes (RFC 5652 §5.4) with
 * node:crypto and the cached KeyObject: one public-key operation, no WebCrypto promise round trip.
 */
export function verifySignatureValue(
  si: ParsedSignerInfo,
  signer: CertInfo,
  hash: HashAlgorithm,
): { ok: boolean; detail: string } {
  const scheme = schemeOfSignatureAlgorithm(si.signatureAlgorithm);
  const named = hashOfSignatureAlgorithm(si.signatureAlgorithm);
  if (named && named !== hash)
    return { ok: false, detail: `signatureAlgorithm names ${named} but digestAlgorithm is ${hash}` };
  // Only defined algorithm OIDs: a prefix match alone would accept e.g. 1.2.840.10045.4.2.2 as ECDSA.
  if (!named && !KEY_ONLY_OIDS.has(si.signatureAlgorithm))
    return { ok: false, detail: `unsupported signature algorithm ${si.signatureAlgorithm}` };
  // RFC 5754 §3.2 / RFC 5758 §3.2: PKCS#1 v1.5 parameters are NULL or absent, ECDSA and EdDSA have none.
  if (scheme !== "rsa-pss" && si.signatureParams)
    return { ok: false, detail: `unexpected parameters on signature algorithm ${si.signatureAlgorithm}` };
  // SM2 keys seal in GB/T 38540 only (ses/): Node would verify an SM2 key's signature with an empty signer ID.
  if (signer.keyType === "sm2") return { ok: false, detail: "SM2 keys seal in the GB/T 38540 format, not CAdES" };
  try {
    switch (scheme) {
      case "ecdsa":
        if (signer.keyType !== "ec") return { ok: false, detail: "ECDSA signature but the certificate key is not EC" };
        return result(
          cryptoVerify(hash, si.signedAttrsDer!, signer.publicKey, si.signature),
          `ECDSA ${signer.curve} with ${hash}`,
        );
      case "rsa-pkcs1":
        if (signer.keyType !== "rsa") return { ok: false, detail: "RSA signature but the certificate key is not RSA" };
        return result(
          cryptoVerify(hash, si.signedAttrsDer!, signer.publicKey, si.signature),
          `RSA PKCS#1 v1.5 with ${hash}`,
        );
      case "rsa-pss": {
        const p = pssParams(si.signatureParams);
        if (p.hash !== hash || p.mgfHash !== hash)
          return {
            ok: false,
            detail: `RSASSA-PSS parameters (${p.hash}/${p.mgfHash}) do not match digestAlgorithm ${hash}`,
          };
        const key = { key: signer.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength };
        return result(
          cryptoVerify(hash, si.signedAttrsDer!, key, si.signature),
          `RSASSA-PSS with ${hash}, salt ${p.saltLength}`,
        );
      }
      case "ed25519":
        if (signer.keyType !== "ed25519")
          return { ok: false, detail: "Ed25519 signature but the certificate key is not Ed25519" };
        return result(cryptoVerify(null, si.signedAttrsDer!, signer.publicKey, si.signature), "Ed25519");
      default:
        return { ok: false, detail: `unsupported signature algorithm ${si.signatureAlgorithm}` };
    }
  } catch (err) {
    return { ok: false, detail: `signature value does not verify: ${(err as Error).message}` };
  }
}

/** Signature algorithm OIDs that name no hash (it comes from digestAlgorithm, RFC 5652 §5.3, RFC 5754 §3). */
const KEY_ONLY_OIDS = new Set<string>([OID.rsaEncryption, OID.ecPublicKey, OID.rsaPss, OID.ed25519]);

function result(ok: boolean, what: string): { ok: boolean; detail: string } {
  return ok
    ? { ok, detail: `${what}: signature value verifies` }
    : { ok, detail: `${what}: signature value does not verify` };
}

/** RSASSA-PSS-params (RFC 4055 §3.1); the defaults are SHA-1, which our policy then refuses. */
export function pssParams(params?: Uint8Array): {
  hash: HashAlgorithm | undefined;
  mgfHash: HashAlgorithm | undefined;
  saltLength: number;
} {
  let hash: HashAlgorithm | undefined = "sha1";
  let mgfHash: HashAlgorithm | undefined = "sha1";
  let saltLength = 20;
  if (!params) return { hash, mgfHash, saltLength };
  const seqTlv = readTlv(params, 0);
  if (seqTlv.tag !== Tag.SEQUENCE) throw new DerError("RSASSA-PSS-params is not a SEQUENCE");
  const algorithmOid = (t: Tlv) => {
    const oid = t.tag === Tag.SEQUENCE ? childrenOf(params, t)[0] : undefined;
    if (!oid) throw new DerError("malformed AlgorithmIdentifier in RSASSA-PSS-params");
    return decodeOid(params, oid);
  };
  for (const f of childrenOf(params, seqTlv)) {
    const inner = readTlv(params, f.valueStart, f.end);
    if (inner.end !== f.end) throw new DerError("trailing bytes in RSASSA-PSS-params");
    if (f.tag === contextTag(0)) hash = hashFromOid(algorithmOid(inner));
    else if (f.tag === contextTag(1)) {
      const mgf = inner.tag === Tag.SEQUENCE ? childrenOf(params, inner) : [];
      if (mgf.length !== 2 || decodeOid(params, mgf[0]!) !== OID.mgf1)
        throw new DerError("unsupported mask generation function");
      mgfHash = hashFromOid(algorithmOid(mgf[1]!));
    } else if (f.tag === contextTag(2) && inner.tag === Tag.INTEGER)
      saltLength = valueOf(params, inner).reduce((n, b) => n * 256 + b, 0);
    else if (f.tag !== contextTag(3)) throw new DerError("unexpected field in RSASSA-PSS-params");
  }
  return { hash, mgfHash, saltLength };
}
