import { constants, verify as cryptoVerify } from "node:crypto";
import type { CertInfo } from "./certificate.ts";
import type { ParsedSignerInfo } from "./cms-parse.ts";
import { DerError, Tag, childrenOf, contextTag, decodeOid, readTlv, valueOf } from "./der.ts";
import { OID, hashFromOid, hashOfSignatureAlgorithm, schemeOfSignatureAlgorithm, type HashAlgorithm } from "./oids.ts";

/**
 * Verify the SignerInfo's signature value over the DER of its signed attributes (RFC 5652 §5.4) with
 * node:crypto and the cached KeyObject: one public-key operation, no WebCrypto promise round trip.
 */
export function verifySignatureValue(si: ParsedSignerInfo, signer: CertInfo, hash: HashAlgorithm): { ok: boolean; detail: string } {
  const scheme = schemeOfSignatureAlgorithm(si.signatureAlgorithm);
  const named = hashOfSignatureAlgorithm(si.signatureAlgorithm);
  if (named && named !== hash) return { ok: false, detail: `signatureAlgorithm names ${named} but digestAlgorithm is ${hash}` };
  try {
    switch (scheme) {
      case "ecdsa":
        if (signer.keyType !== "ec") return { ok: false, detail: "ECDSA signature but the certificate key is not EC" };
        return result(cryptoVerify(hash, si.signedAttrsDer!, signer.publicKey, si.signature), `ECDSA ${signer.curve} with ${hash}`);
      case "rsa-pkcs1":
        if (signer.keyType !== "rsa") return { ok: false, detail: "RSA signature but the certificate key is not RSA" };
        return result(cryptoVerify(hash, si.signedAttrsDer!, signer.publicKey, si.signature), `RSA PKCS#1 v1.5 with ${hash}`);
      case "rsa-pss": {
        const p = pssParams(si.signatureParams);
        if (p.hash !== hash || p.mgfHash !== hash) return { ok: false, detail: `RSASSA-PSS parameters (${p.hash}/${p.mgfHash}) do not match digestAlgorithm ${hash}` };
        const key = { key: signer.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: p.saltLength };
        return result(cryptoVerify(hash, si.signedAttrsDer!, key, si.signature), `RSASSA-PSS with ${hash}, salt ${p.saltLength}`);
      }
      case "ed25519":
        return result(cryptoVerify(null, si.signedAttrsDer!, signer.publicKey, si.signature), "Ed25519");
      default:
        return { ok: false, detail: `unsupported signature algorithm ${si.signatureAlgorithm}` };
    }
  } catch (err) {
    return { ok: false, detail: `signature value does not verify: ${(err as Error).message}` };
  }
}

function result(ok: boolean, what: string): { ok: boolean; detail: string } {
  return ok ? { ok, detail: `${what}: signature value verifies` } : { ok, detail: `${what}: signature value does not verify` };
}

/** RSASSA-PSS-params (RFC 4055 §3.1); the defaults are SHA-1, which our policy then refuses. */
export function pssParams(params?: Uint8Array): { hash: HashAlgorithm | undefined; mgfHash: HashAlgorithm | undefined; saltLength: number } {
  let hash: HashAlgorithm | undefined = "sha1";
  let mgfHash: HashAlgorithm | undefined = "sha1";
  let saltLength = 20;
  if (!params) return { hash, mgfHash, saltLength };
  const seqTlv = readTlv(params, 0);
  if (seqTlv.tag !== Tag.SEQUENCE) throw new DerError("RSASSA-PSS-params is not a SEQUENCE");
  for (const f of childrenOf(params, seqTlv)) {
    const inner = readTlv(params, f.valueStart, f.end);
    if (f.tag === contextTag(0)) hash = hashFromOid(decodeOid(params, childrenOf(params, inner)[0]!));
    else if (f.tag === contextTag(1)) {
      const [mgfOid, mgfParams] = childrenOf(params, inner);
      if (!mgfOid || decodeOid(params, mgfOid) !== OID.mgf1 || !mgfParams) throw new DerError("unsupported mask generation function");
      mgfHash = hashFromOid(decodeOid(params, childrenOf(params, mgfParams)[0]!));
    } else if (f.tag === contextTag(2)) saltLength = valueOf(params, inner).reduce((n, b) => n * 256 + b, 0);
  }
  return { hash, mgfHash, saltLength };
}
