import { sm2 } from "sm-crypto-v2";
import { toHex } from "../domain/bytes.ts";
import { DerError, Tag, childrenOf, contextTag, decodeOid, readTlv, valueOf, type Tlv } from "./der.ts";
import { KeyError } from "./key-error.ts";
import { OID } from "./oids.ts";
import type { Sm2PrivateKey, Sm2PublicKey } from "./sm2.ts";

/**
 * SM2 keys read from DER with our reader (issue 16): SubjectPublicKeyInfo (RFC 5480 §2), PKCS#8 (RFC 5958) and
 * SEC1 ECPrivateKey (RFC 5915), id-ecPublicKey with the SM2 curve as parameters (GB/T 32918.1, GM/T 0006). Each
 * is read exactly — element counts, versions, no trailing bytes — and a public point is validated once here, so
 * that nothing downstream (chains, seals, key matching) ever holds an SM2 key that is not a point of the curve.
 */

/** The order n of the SM2 curve (GB/T 32918.5). */
const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/** The SM2 public key of a SubjectPublicKeyInfo: KEY_UNSUPPORTED when it is not SM2, KEY_UNREADABLE when malformed. */
export function readSm2Spki(spki: Uint8Array): Sm2PublicKey {
  let key: Sm2PublicKey | undefined;
  try {
    key = sm2KeyOfSpki(spki);
  } catch (cause) {
    throw new KeyError("KEY_UNREADABLE", "not a readable SM2 SubjectPublicKeyInfo", { cause });
  }
  if (!key) throw new KeyError("KEY_UNSUPPORTED", "not an SM2 key (id-ecPublicKey on the SM2 curve)");
  return key;
}

/**
 * The SM2 public key of a SubjectPublicKeyInfo that is id-ecPublicKey on the SM2 curve, else undefined (Node's
 * KeyObject for such a key has no type and no curve). DerError when it is SM2 but not exactly SEQUENCE
 * { SEQUENCE { id-ecPublicKey, SM2 }, BIT STRING { 04 ‖ x ‖ y } } with the point on the curve.
 */
export function sm2KeyOfSpki(spki: Uint8Array): Sm2PublicKey | undefined {
  const top = readTlv(spki, 0);
  const parts = top.tag === Tag.SEQUENCE ? childrenOf(spki, top) : [];
  const [alg, key] = parts;
  if (!isSm2Algorithm(spki, alg)) return undefined;
  if (
    top.end !== spki.length ||
    parts.length !== 2 ||
    key?.tag !== Tag.BIT_STRING ||
    childrenOf(spki, alg!).length !== 2
  )
    throw new DerError("SM2 SubjectPublicKeyInfo is not SEQUENCE { SEQUENCE { id-ecPublicKey, SM2 }, BIT STRING }");
  return { publicKeyHex: readSm2Point(valueOf(spki, key)) };
}

/** An SM2 private key from PEM (PRIVATE KEY, EC or SM2 PRIVATE KEY) or DER (PKCS#8 or SEC1). */
export function readSm2PrivateKey(bytes: Uint8Array): Sm2PrivateKey {
  const der = pemBody(bytes) ?? bytes;
  try {
    const top = readTlv(der, 0);
    const parts = top.tag === Tag.SEQUENCE ? childrenOf(der, top) : [];
    if (parts[1]?.tag !== Tag.SEQUENCE) return fromEcPrivateKey(der, false); // SEC1: version 1, OCTET STRING, …
    if (!isSm2Algorithm(der, parts[1])) throw new KeyError("KEY_UNSUPPORTED", "not an SM2 key (id-ecPublicKey on SM2)");
    // RFC 5958: version 0 (or 1 with a public key), AlgorithmIdentifier, OCTET STRING, [0] attributes, [1] public key
    const [version, alg, inner, ...rest] = parts;
    const v = smallIntegerOf(der, version);
    const tail = rest.map((t) => t.tag).join();
    const tails = v === 0 ? ["", `${0xa0}`] : ["", `${0xa0}`, `${0x81}`, `${0xa0},${0x81}`];
    if (top.end !== der.length || (v !== 0 && v !== 1) || childrenOf(der, alg!).length !== 2 || !tails.includes(tail))
      throw new KeyError("KEY_UNREADABLE", "not a PKCS#8 PrivateKeyInfo (RFC 5958)");
    if (inner?.tag !== Tag.OCTET_STRING) throw new KeyError("KEY_UNREADABLE", "no ECPrivateKey in the PKCS#8 key");
    const key = fromEcPrivateKey(valueOf(der, inner), true);
    const stated = rest.find((t) => t.tag === 0x81);
    if (stated) requireStatedKey(readSm2Point(valueOf(der, stated)), key.publicKeyHex);
    return key;
  } catch (err) {
    if (err instanceof KeyError) throw err;
    throw new KeyError("KEY_UNREADABLE", "not a readable SM2 private key", { cause: err });
  }
}

/**
 * RFC 5915 §3 ECPrivateKey: SEQUENCE { version 1, privateKey OCTET STRING, [0] parameters, [1] publicKey }. In
 * SEC1 the parameters name the curve (KEY_UNSUPPORTED unless SM2); inside PKCS#8 they may be left out, but
 * when present must name the curve the AlgorithmIdentifier does.
 */
function fromEcPrivateKey(der: Uint8Array, inPkcs8: boolean): Sm2PrivateKey {
  const top = readTlv(der, 0);
  const [version, secret, ...rest] = top.tag === Tag.SEQUENCE ? childrenOf(der, top) : [];
  const params = rest.find((p) => p.tag === contextTag(0));
  const [curve, extraParam] = params ? childrenOf(der, params) : [];
  const curveOid = curve?.tag === Tag.OID ? decodeOid(der, curve) : undefined;
  if (!inPkcs8 && (secret?.tag !== Tag.OCTET_STRING || curveOid !== OID.sm2Curve))
    throw new KeyError("KEY_UNSUPPORTED", "the EC private key is not on the SM2 curve");
  const tail = rest.map((t) => t.tag).join();
  if (top.end !== der.length || smallIntegerOf(der, version) !== 1 || secret?.tag !== Tag.OCTET_STRING)
    throw new KeyError("KEY_UNREADABLE", "not an ECPrivateKey (RFC 5915)");
  if (!["", `${0xa0}`, `${0xa1}`, `${0xa0},${0xa1}`].includes(tail) || extraParam)
    throw new KeyError("KEY_UNREADABLE", "ECPrivateKey has fields out of order or too many");
  if (params && curveOid !== OID.sm2Curve)
    throw new KeyError("KEY_UNREADABLE", "the ECPrivateKey's parameters name another curve than SM2");
  const privateKeyHex = readSecret(valueOf(der, secret));
  const publicKeyHex = sm2.getPublicKeyFromPrivateKey(privateKeyHex);
  // A stated public key that is not the private key's would make every match with a certificate a lie.
  const stated = rest.find((p) => p.tag === contextTag(1));
  if (stated) {
    const [bits, extra] = childrenOf(der, stated);
    if (bits?.tag !== Tag.BIT_STRING || extra) throw new KeyError("KEY_UNREADABLE", "ECPrivateKey publicKey malformed");
    requireStatedKey(readSm2Point(valueOf(der, bits)), publicKeyHex);
  }
  return { privateKeyHex, publicKeyHex };
}

/**
 * The private key d as 64 hex digits. RFC 5915 writes ⌈log2 n / 8⌉ = 32 octets, but some writers drop leading
 * zero octets, so a shorter secret is padded. GB/T 32918.1 §6.1 takes d from [1, n − 2]: d = n − 1 makes
 * 1 + d ≡ 0 (mod n), which signing must invert.
 */
function readSecret(octets: Uint8Array): string {
  const d = octets.length > 0 && octets.length <= 32 ? BigInt(`0x${toHex(octets)}`) : 0n;
  if (d < 1n || d > SM2_N - 2n) throw new KeyError("KEY_UNREADABLE", "the SM2 private key is not in [1, n − 2]");
  return toHex(octets).padStart(64, "0");
}

function requireStatedKey(stated: string, computed: string): void {
  if (stated !== computed)
    throw new KeyError("KEY_UNREADABLE", "the SM2 key's stated public key is not its private key's");
}

/**
 * The BIT STRING contents of an SM2 public key: no unused bits, an uncompressed point 04 ‖ x ‖ y (65 octets)
 * that lies on the curve and is not the point at infinity (GB/T 32918.1 public key validation). DerError else.
 */
function readSm2Point(bits: Uint8Array): string {
  if (bits[0] !== 0) throw new DerError("SM2 public key BIT STRING has unused bits");
  const point = bits.subarray(1);
  if (point.length !== 65 || point[0] !== 0x04) throw new DerError("SM2 public key is not an uncompressed point");
  const hex = toHex(point);
  if (!isCurvePoint(hex)) throw new DerError("the SM2 public key is not a point on the curve");
  return hex;
}

function isCurvePoint(hex: string): boolean {
  try {
    return sm2.verifyPublicKey(hex);
  } catch {
    return false; // the point decoder refuses an off-curve point by throwing
  }
}

/** AlgorithmIdentifier id-ecPublicKey with the SM2 curve OID as its first parameter. */
function isSm2Algorithm(der: Uint8Array, alg: Tlv | undefined): boolean {
  if (alg?.tag !== Tag.SEQUENCE) return false;
  const [kind, curve] = childrenOf(der, alg);
  if (kind?.tag !== Tag.OID || curve?.tag !== Tag.OID) return false;
  return decodeOid(der, kind) === OID.ecPublicKey && decodeOid(der, curve) === OID.sm2Curve;
}

/** A one-octet non-negative INTEGER's value (key container versions), else undefined. */
function smallIntegerOf(der: Uint8Array, t: Tlv | undefined): number | undefined {
  if (t?.tag !== Tag.INTEGER || t.end - t.valueStart !== 1) return undefined;
  const v = der[t.valueStart]!;
  return v < 0x80 ? v : undefined;
}

function pemBody(bytes: Uint8Array): Uint8Array | undefined {
  const text = new TextDecoder().decode(bytes);
  const m = /-----BEGIN (?:EC |SM2 )?PRIVATE KEY-----([\s\S]*?)-----END (?:EC |SM2 )?PRIVATE KEY-----/.exec(text);
  return m ? Uint8Array.from(atob(m[1]!.replace(/\s+/g, "")), (c) => c.charCodeAt(0)) : undefined;
}
