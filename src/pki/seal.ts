import { constants, sign as cryptoSign, verify as cryptoVerify, type KeyObject } from "node:crypto";
import { certInfo } from "./certificate.ts";
import { Tag, bytesOf, childrenOf, contextTag, expectTlv } from "./der.ts";
import { compareBytes } from "../domain/bytes.ts";
import { explicit, nullValue, oid, seq, smallInteger, time, tlv } from "./der-write.ts";
import { encodeSigningCertificateV2 } from "./ess.ts";
import { OID, oidByHash, type HashAlgorithm } from "./oids.ts";
import { digestBytes } from "./digest.ts";
import { createSealTemplate } from "./seal-template.ts";
import { createSesSealer } from "./ses/sealer.ts";
import type { Sm2PrivateKey } from "./sm2.ts";

/**
 * CAdES-B-B sealing (ETSI EN 319 122-1 §5.2, RFC 5652): detached by default, signed attributes
 * content-type, signing-time, message-digest and ESS signing-certificate-v2, DER-sorted.
 * Everything that depends only on the key and certificate is encoded once per Sealer (seal-template.ts);
 * a seal then costs one hash, a few small encodings, one private-key operation and one buffer.
 */
export interface SealKey {
  privateKey: KeyObject;
  /** The seal certificate (DER). */
  certificate: Uint8Array;
  /** Further certificates to embed (issuing CA, …), DER. */
  chain?: Uint8Array[];
  /** RSA only: PKCS#1 v1.5 (default) or PSS. */
  rsaPadding?: "pkcs1" | "pss";
  /** Defaults to SHA-384 for P-384 keys and SHA-256 otherwise. SHA-1 is never produced; SM3 only in SES seals. */
  hash?: Exclude<HashAlgorithm, "sha1" | "md5" | "sm3">;
  /** The SM2 private key (issue 16): with `sesSeal`, seals are GB/T 38540 SES_Signatures signed with it. */
  sm2?: Sm2PrivateKey;
  /** The GB/T 38540 seal (SESeal DER) the certificate is a holder of; selects SES sealing. */
  sesSeal?: Uint8Array;
}

export interface Sealer {
  /** Seal `content` as signed at `signingTime`; returns DER ContentInfo. */
  /** `propertyInfo`: SES only, the ASCII TBS_Sign.propertyInfo (default "urn:jiexu:document"). */
  seal(content: Uint8Array, signingTime: Date, options?: { attached?: boolean; propertyInfo?: string }): Uint8Array;
  readonly certificateSha256: string;
  readonly agencyIds: string[];
}

export class SealKeyError extends Error {
  override name = "SealKeyError";
}

export function createSealer(key: SealKey): Sealer {
  if (key.sesSeal) {
    if (!key.sm2) throw new SealKeyError("GB/T 38540 sealing needs the SM2 private key");
    const ses = { sm2: key.sm2, certificate: key.certificate, sesSeal: key.sesSeal };
    return createSesSealer(ses, (message) => new SealKeyError(message));
  }
  const cert = certInfo(key.certificate);
  // Issue 16: an SM2 key signs GB/T 38540 SES_Signature with its seal (制章者-signed SESeal), never CAdES.
  if (cert.keyType === "sm2")
    throw new SealKeyError("SM2 keys seal in the GB/T 38540 format: give the seal file (SESeal) as well");
  if (!matchesKey(key.privateKey, cert.publicKey))
    throw new SealKeyError("the private key does not belong to the seal certificate");
  const hash = key.hash ?? (cert.curve === "secp384r1" ? "sha384" : "sha256");
  const signatureAlgorithm = signatureAlgorithmFor(key, hash);
  const [issuerName, serial] = issuerAndSerial(key.certificate);
  const template = createSealTemplate({
    digestAlgorithm: seq(oid(oidByHash[hash])),
    signatureAlgorithm,
    sid: seq(issuerName, serial),
    certificates: tlv(contextTag(0), ...[key.certificate, ...(key.chain ?? [])].sort(compareBytes)),
    constantAttributes: [
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.signingCertificateV2, encodeSigningCertificateV2(key.certificate, issuerName, serial)),
    ],
  });
  const signOptions =
    key.rsaPadding === "pss"
      ? { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashLength(hash) }
      : key.privateKey;

  return {
    certificateSha256: cert.sha256,
    agencyIds: cert.agencyIds,
    seal(content, signingTime, options = {}) {
      const digest = digestBytes(hash, content);
      const signedAttrs = template.signedAttributes(digest, time(signingTime)); // the bytes signed: tag SET
      const signature = cryptoSign(hash, signedAttrs, signOptions);
      return template.contentInfo(signedAttrs, signature, options.attached ? content : undefined);
    },
  };
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return seq(oid(type), tlv(Tag.SET, value));
}

function signatureAlgorithmFor(key: SealKey, hash: HashAlgorithm): Uint8Array {
  const type = key.privateKey.asymmetricKeyType;
  if (type === "ec") {
    const byHash: Record<string, string> = {
      sha256: OID.ecdsaWithSha256,
      sha384: OID.ecdsaWithSha384,
      sha512: OID.ecdsaWithSha512,
    };
    return seq(oid(byHash[hash]!));
  }
  if (type !== "rsa") throw new SealKeyError(`unsupported seal key type ${type}`);
  if (key.rsaPadding === "pss") {
    const h = seq(oid(oidByHash[hash]));
    // RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 with the same hash, salt = hash length.
    return seq(
      oid(OID.rsaPss),
      seq(explicit(0, h), explicit(1, seq(oid(OID.mgf1), h)), explicit(2, smallInteger(hashLength(hash)))),
    );
  }
  const byHash: Record<string, string> = {
    sha256: OID.sha256WithRsa,
    sha384: OID.sha384WithRsa,
    sha512: OID.sha512WithRsa,
  };
  return seq(oid(byHash[hash]!), nullValue());
}

function hashLength(hash: HashAlgorithm): number {
  return { sha1: 20, md5: 16, sha256: 32, sha384: 48, sha512: 64, sm3: 32 }[hash];
}

/** Issuer Name and serial INTEGER exactly as encoded in the certificate (for sid and ESS issuerSerial). */
function issuerAndSerial(certDer: Uint8Array): [Uint8Array, Uint8Array] {
  const tbs = childrenOf(certDer, expectTlv(certDer, 0, Tag.SEQUENCE, "Certificate"))[0]!;
  const f = childrenOf(certDer, tbs);
  const o = f[0]?.tag === contextTag(0) ? 1 : 0;
  return [bytesOf(certDer, f[o + 2]!), bytesOf(certDer, f[o]!)];
}

/** Sign a probe and verify it: the cheapest proof that the key pair belongs together. */
function matchesKey(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const probe = new Uint8Array([1, 2, 3]);
  try {
    return cryptoVerify("sha256", probe, publicKey, cryptoSign("sha256", probe, privateKey));
  } catch {
    return false;
  }
}
