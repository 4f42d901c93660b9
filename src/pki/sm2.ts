import { sm2 } from "sm-crypto-v2";
import { fromHex } from "../domain/bytes.ts";
import { DerError, Tag, childrenOf, contextTag, decodeOid, readTlv, valueOf, type Tlv } from "./der.ts";
import { bitString, explicit, octetString, oid, seq, smallInteger } from "./der-write.ts";
import { KeyError } from "./key-error.ts";
import { OID } from "./oids.ts";
import { readSm2Spki } from "./sm2-key-der.ts";
import { decodeSm2Signature } from "./sm2-signature.ts";

export { readSm2PrivateKey, readSm2Spki, sm2KeyOfSpki } from "./sm2-key-der.ts";

/**
 * SM2 signatures with SM3 and the signer ID (GB/T 32918.2, GB/T 35276; issue 16 item 1). Node's crypto cannot
 * set the ID, so signing and verifying go through sm-crypto-v2 with `hash: true` (SM3 over Z‖M, Z from the
 * ID and the public key) and `der: true` (the signature as a DER SEQUENCE of r and s); its signatures and the
 * `openssl` binary's (`-sigopt distid:1234567812345678`) verify each other (test/pki/sm2.test.ts).
 * Key containers are written here and read in sm2-key-der.ts: PKCS#8 and SEC1, as `openssl genpkey
 * -algorithm SM2` writes them (id-ecPublicKey with the SM2 curve as parameters).
 */

/** The default signer ID of GB/T 35276-2017 §5.3 (ASCII "1234567812345678"). */
export const SM2_DEFAULT_ID = "1234567812345678";
/** The SM2 OIDs under the names tests first gave them; src/ uses oids.ts's OID, the one source. */
export const SM2_OID = {
  curve: OID.sm2Curve,
  sm3: OID.sm3,
  sm3WithSm2: OID.sm3WithSm2,
  ecPublicKey: OID.ecPublicKey,
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
  if (algorithmOid === OID.sm3WithSm2 && (extra || !nullOrAbsent))
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

function algorithm(): Uint8Array {
  return seq(oid(OID.ecPublicKey), oid(OID.sm2Curve));
}

/**
 * Whether the issuer's SM2 key (its CertInfo's `sm2Key`, read and validated once) made the signature of a signed
 * X.509 structure — a Certificate or a CertificateList: SEQUENCE { tbs, signatureAlgorithm, BIT STRING } — over
 * its TBS bytes as received (never re-encoded). Node cannot (it verifies SM2 with an empty signer ID), so chains
 * and CRLs signed SM3withSM2 are checked here; false for anything malformed.
 */
export function isSm2SignedBy(signedDer: Uint8Array, issuerKey: Sm2PublicKey): boolean {
  try {
    const [tbs, , sig] = childrenOf(signedDer, readTlv(signedDer, 0));
    if (!tbs || !sig || sig.tag !== Tag.BIT_STRING) return false;
    const bits = valueOf(signedDer, sig);
    if (bits[0] !== 0) return false; // whole bytes only
    return verifySm2(signedDer.subarray(tbs.start, tbs.end), bits.subarray(1), issuerKey);
  } catch {
    return false;
  }
}

/** The SM2 key a certificate certifies; throws KeyError when it is not one (DerError when the DER is broken). */
export function sm2KeyOfCertificate(certificateDer: Uint8Array): Sm2PublicKey {
  return readSm2Spki(spkiOf(certificateDer));
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
