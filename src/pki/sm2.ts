import { sm2 } from "sm-crypto-v2";
import { fromHex, toHex } from "../domain/bytes.ts";
import { DerError, Tag, childrenOf, contextTag, decodeOid, readTlv, valueOf, type Tlv } from "./der.ts";
import { bitString, explicit, octetString, oid, seq, smallInteger } from "./der-write.ts";
import { KeyError } from "./key-error.ts";
import { decodeSm2Signature } from "./sm2-signature.ts";

/**
 * SM2 signatures with SM3 and the signer ID (GB/T 32918.2, GB/T 35276; issue 16 item 1). Node's crypto cannot
 * set the ID, so signing and verifying go through sm-crypto-v2 with `hash: true` (SM3 over Z‖M, Z from the
 * ID and the public key) and `der: true` (the signature as a DER SEQUENCE of r and s); its signatures and the
 * `openssl` binary's (`-sigopt distid:1234567812345678`) verify each other (test/pki/sm2.test.ts).
 * Key containers are read and written here with our DER reader: PKCS#8 and SEC1, as `openssl genpkey
 * -algorithm SM2` writes them (id-ecPublicKey with the SM2 curve as parameters).
 */

/** The default signer ID of GB/T 35276-2017 §5.3 (ASCII "1234567812345678"). */
export const SM2_DEFAULT_ID = "1234567812345678";
export const SM2_OID = {
  curve: "1.2.156.10197.1.301",
  sm3: "1.2.156.10197.1.401",
  sm3WithSm2: "1.2.156.10197.1.501",
  ecPublicKey: "1.2.840.10045.2.1",
} as const;

export interface Sm2PublicKey {
  /** Uncompressed point, hex: "04" ‖ x ‖ y. */
  publicKeyHex: string;
}

export interface Sm2PrivateKey extends Sm2PublicKey {
  privateKeyHex: string;
}

/** A fresh key pair (development PKI and tests; production keys come from the agency's seal system). */
export function generateSm2Key(): Sm2PrivateKey {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKeyHex: privateKey, publicKeyHex: publicKey };
}

/** DER SM2 signature over `data` with the standard signer ID. */
export function signSm2(data: Uint8Array, key: Sm2PrivateKey): Uint8Array {
  const hex = sm2.doSignature(data, key.privateKeyHex, { hash: true, der: true, publicKey: key.publicKeyHex });
  return fromHex(hex) ?? new Uint8Array();
}

/**
 * Whether `signature` (DER) is an SM2 signature over `data` by `key` with the standard signer ID. The DER is
 * decoded strictly first (sm2-signature.ts): sm-crypto-v2 accepts a flipped SEQUENCE tag, trailing bytes, a
 * padded r or long-form lengths, and a signature must have one encoding only (no malleable copies).
 */
export function verifySm2(data: Uint8Array, signature: Uint8Array, key: Sm2PublicKey): boolean {
  const rs = decodeSm2Signature(signature, false);
  if (!rs) return false;
  try {
    return sm2.doVerifySignature(data, rs, key.publicKeyHex, { hash: true, der: false });
  } catch {
    return false; // a malformed signature or point is a failed verification, not an exception
  }
}

/**
 * The OID of a certificate's or CRL's signature AlgorithmIdentifier. SM3withSM2 takes no parameters; real Chinese
 * CA certificates write NULL, OpenSSL and Bouncy Castle leave them out: both are accepted, anything else is not.
 */
export function readSignatureAlgorithm(der: Uint8Array, alg: Tlv): string {
  const [id, params, extra] = childrenOf(der, alg);
  const algorithmOid = decodeOid(der, id ?? alg);
  const nullOrAbsent = !params || (params.tag === Tag.NULL && params.end === params.valueStart);
  if (algorithmOid === SM2_OID.sm3WithSm2 && (extra || !nullOrAbsent))
    throw new DerError("SM3withSM2 AlgorithmIdentifier parameters must be absent or NULL");
  return algorithmOid;
}

/** SubjectPublicKeyInfo of an SM2 key (id-ecPublicKey, SM2 curve). */
export function encodeSm2Spki(key: Sm2PublicKey): Uint8Array {
  return seq(algorithm(), bitString(fromHex(key.publicKeyHex)!));
}

/** PKCS#8 PrivateKeyInfo of an SM2 key, as `openssl genpkey -algorithm SM2` writes it. */
export function encodeSm2Pkcs8(key: Sm2PrivateKey): Uint8Array {
  const ecPrivateKey = seq(
    smallInteger(1),
    octetString(fromHex(key.privateKeyHex.padStart(64, "0"))!),
    explicit(1, bitString(fromHex(key.publicKeyHex)!)),
  );
  return seq(smallInteger(0), algorithm(), octetString(ecPrivateKey));
}

/** The SM2 public key of a SubjectPublicKeyInfo; KEY_UNSUPPORTED when it is not one. */
export function readSm2Spki(spki: Uint8Array): Sm2PublicKey {
  const top = readTlv(spki, 0);
  const [alg, key] = childrenOf(spki, top);
  if (!alg || !key || key.tag !== Tag.BIT_STRING) throw new KeyError("KEY_UNREADABLE", "not a SubjectPublicKeyInfo");
  requireSm2Algorithm(spki, alg);
  return { publicKeyHex: toHex(valueOf(spki, key).subarray(1)) };
}

/**
 * The SM2 public key of a SubjectPublicKeyInfo that is id-ecPublicKey on the SM2 curve (GB/T 32918.1), else
 * undefined: Node's KeyObject for such a key has no type and no curve. DerError when it is SM2 but malformed
 * (the point must be uncompressed: 04 ‖ x ‖ y).
 */
export function sm2KeyOfSpki(spki: Uint8Array): Sm2PublicKey | undefined {
  const [alg] = childrenOf(spki, readTlv(spki, 0));
  const [kind, curve] = alg?.tag === Tag.SEQUENCE ? childrenOf(spki, alg) : [];
  if (kind?.tag !== Tag.OID || curve?.tag !== Tag.OID) return undefined;
  if (decodeOid(spki, kind) !== SM2_OID.ecPublicKey || decodeOid(spki, curve) !== SM2_OID.curve) return undefined;
  let key: Sm2PublicKey;
  try {
    key = readSm2Spki(spki);
  } catch (cause) {
    throw new DerError(`SM2 SubjectPublicKeyInfo is malformed: ${(cause as Error).message}`);
  }
  if (!/^04[0-9a-f]{128}$/.test(key.publicKeyHex)) throw new DerError("SM2 public key is not an uncompressed point");
  return key;
}

/** An SM2 private key from PEM (PRIVATE KEY, EC or SM2 PRIVATE KEY) or DER (PKCS#8 or SEC1). */
export function readSm2PrivateKey(bytes: Uint8Array): Sm2PrivateKey {
  const der = pemBody(bytes) ?? bytes;
  try {
    const top = readTlv(der, 0);
    const parts = childrenOf(der, top);
    // PKCS#8: version, AlgorithmIdentifier, OCTET STRING { ECPrivateKey }; SEC1: version 1, OCTET STRING, …
    if (parts[1]?.tag === Tag.SEQUENCE) {
      requireSm2Algorithm(der, parts[1]);
      return fromEcPrivateKey(valueOf(der, parts[2]!), true);
    }
    return fromEcPrivateKey(der, false);
  } catch (err) {
    if (err instanceof KeyError) throw err;
    throw new KeyError("KEY_UNREADABLE", "not a readable SM2 private key", { cause: err });
  }
}

function fromEcPrivateKey(der: Uint8Array, curveKnown: boolean): Sm2PrivateKey {
  const parts = childrenOf(der, readTlv(der, 0));
  const secret = parts[1];
  if (!secret || secret.tag !== Tag.OCTET_STRING)
    throw new KeyError("KEY_UNREADABLE", "no private key in ECPrivateKey");
  const params = parts.find((p) => p.tag === contextTag(0));
  if (!curveKnown && (!params || decodeOid(der, childrenOf(der, params)[0]!) !== SM2_OID.curve))
    throw new KeyError("KEY_UNSUPPORTED", "the EC private key is not on the SM2 curve");
  const privateKeyHex = toHex(valueOf(der, secret));
  const publicKeyHex = sm2.getPublicKeyFromPrivateKey(privateKeyHex);
  // A stated public key that is not the private key's would make every match with a certificate a lie.
  const stated = parts.find((p) => p.tag === contextTag(1));
  if (stated && toHex(valueOf(der, childrenOf(der, stated)[0]!).subarray(1)) !== publicKeyHex)
    throw new KeyError("KEY_UNREADABLE", "the SM2 key's stated public key is not its private key's");
  return { privateKeyHex, publicKeyHex };
}

function requireSm2Algorithm(der: Uint8Array, alg: Tlv): void {
  const [kind, curve] = childrenOf(der, alg);
  const curveOid = curve?.tag === Tag.OID ? decodeOid(der, curve) : undefined;
  if (!kind || decodeOid(der, kind) !== SM2_OID.ecPublicKey || curveOid !== SM2_OID.curve)
    throw new KeyError("KEY_UNSUPPORTED", "not an SM2 key (id-ecPublicKey on the SM2 curve)");
}

function algorithm(): Uint8Array {
  return seq(oid(SM2_OID.ecPublicKey), oid(SM2_OID.curve));
}

function pemBody(bytes: Uint8Array): Uint8Array | undefined {
  const text = new TextDecoder().decode(bytes);
  const m = /-----BEGIN (?:EC |SM2 )?PRIVATE KEY-----([\s\S]*?)-----END (?:EC |SM2 )?PRIVATE KEY-----/.exec(text);
  return m ? Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0)) : undefined;
}

/**
 * Whether the issuer certificate's SM2 key made the signature of a signed X.509 structure — a Certificate or a
 * CertificateList: SEQUENCE { tbs, signatureAlgorithm, BIT STRING } — over its TBS bytes as received (never
 * re-encoded). Node cannot (it verifies SM2 with an empty signer ID), so chains and CRLs signed SM3withSM2 are
 * checked here; false for anything malformed or not SM2.
 */
export function isSm2SignedBy(signedDer: Uint8Array, issuerCertificateDer: Uint8Array): boolean {
  try {
    const [tbs, , sig] = childrenOf(signedDer, readTlv(signedDer, 0));
    if (!tbs || !sig || sig.tag !== Tag.BIT_STRING) return false;
    const bits = valueOf(signedDer, sig);
    if (bits[0] !== 0) return false; // whole bytes only
    const tbsBytes = signedDer.subarray(tbs.start, tbs.end);
    return verifySm2(tbsBytes, bits.subarray(1), readSm2Spki(spkiOf(issuerCertificateDer)));
  } catch {
    return false;
  }
}

/** The SM2 public key a certificate certifies; undefined when it is not SM2 or not readable. */
export function sm2KeyOfCertificate(certificateDer: Uint8Array): Sm2PublicKey | undefined {
  try {
    return sm2KeyOfSpki(spkiOf(certificateDer));
  } catch {
    return undefined;
  }
}

/** The SubjectPublicKeyInfo DER inside a certificate (RFC 5280 §4.1: after version, serial, alg, issuer, validity, subject). */
export function spkiOf(certificateDer: Uint8Array): Uint8Array {
  const [tbs] = childrenOf(certificateDer, readTlv(certificateDer, 0));
  const fields = childrenOf(certificateDer, tbs!);
  const start = fields[0]?.tag === contextTag(0) ? 1 : 0;
  const spki = fields[start + 5];
  if (!spki || spki.tag !== Tag.SEQUENCE) throw new KeyError("KEY_UNREADABLE", "no SubjectPublicKeyInfo");
  return certificateDer.subarray(spki.start, spki.end);
}
