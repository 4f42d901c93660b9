import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { X509Certificate as NodeX509, type KeyObject } from "node:crypto";
import { sameBytes, toHex } from "../domain/bytes.ts";
import { DerError, Tag, bytesOf, childrenOf, contextTag, expectTlv, integerHex, readTlv } from "./der.ts";
import { assertStrictCertificate } from "./der-strict.ts";
import { digestHex } from "./digest.ts";
import { OID, hashOfSignatureAlgorithm, type HashAlgorithm } from "./oids.ts";
import { isSm2SignedBy, readSignatureAlgorithm, sm2KeyOfSpki, type Sm2PublicKey } from "./sm2.ts";

/**
 * What verification needs to know about one certificate, parsed once and cached by its exact DER
 * (docs/references.md "Seal and archive anchors": caching parsed certificates and keys is what makes the hot path
 * near raw crypto speed). Extension semantics come from @peculiar/x509; names, serial and the
 * signature algorithm are read straight from the DER so they can be compared byte for byte.
 */
export interface CertInfo {
  der: Uint8Array;
  sha256: string;
  sha256Bytes: Uint8Array;
  subject: string;
  issuer: string;
  /** DER of the subject and issuer Names: chains link on exact bytes, not on formatted strings. */
  subjectDer: string;
  issuerDer: string;
  issuerBytes: Uint8Array;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  pathLength?: number;
  /** KeyUsage bits (x509.KeyUsageFlags), undefined when the extension is absent. */
  keyUsage?: number;
  extendedKeyUsage: string[];
  agencyIds: string[];
  /** Every subjectAltName URI, e.g. `urn:jiexu:agency:440000` or `urn:jiexu:directory-operator`. */
  uris: string[];
  skiHex?: string;
  akiHex?: string;
  /** OIDs of critical extensions this verifier does not process (RFC 5280 §4.2: must reject). */
  unknownCriticalExtensions: string[];
  signatureAlgorithm: string;
  signatureHash?: HashAlgorithm;
  publicKey: KeyObject;
  keyType: string;
  keyBits?: number;
  curve?: string;
  /** The SM2 public key (keyType "sm2"): Node reads SM2 keys as an untyped KeyObject it cannot verify with. */
  sm2Key?: Sm2PublicKey;
  selfIssued: boolean;
  node: NodeX509;
}

const PROCESSED_EXTENSIONS = new Set([
  "2.5.29.15", // keyUsage
  "2.5.29.19", // basicConstraints
  "2.5.29.17", // subjectAltName
  "2.5.29.14", // subjectKeyIdentifier
  "2.5.29.35", // authorityKeyIdentifier
  "2.5.29.37", // extKeyUsage
  "2.5.29.31", // cRLDistributionPoints
  "2.5.29.32", // certificatePolicies (any policy accepted: no policy constraints in our PKI)
  "1.3.6.1.5.5.7.1.1", // authorityInfoAccess
]);

const AGENCY_URI = /^urn:jiexu:agency:(.+)$/;
const CACHE_LIMIT = 20_000;

export function sha256Hex(bytes: Uint8Array): string {
  return digestHex("sha256", bytes);
}

/**
 * Parse (or fetch from cache) a certificate. Throws DerError when it is not a certificate in strict
 * DER (der-strict.ts): what is cached here is exactly what any strict reader will accept later.
 * Look-up is by serial and length, confirmed by comparing the whole DER: a byte comparison of
 * a 1 KB certificate is several times cheaper than hashing it, and this runs on every verification.
 */
export function certInfo(der: Uint8Array): CertInfo {
  const key = `${certIdentity(der).serialHex}:${der.length}`;
  const bucket = byIdentity.get(key);
  const hit = bucket?.find((c) => sameBytes(c.der, der));
  if (hit) return hit;
  const info = parseCertificate(der.slice(), sha256Hex(der));
  if (cached >= CACHE_LIMIT) {
    byIdentity.clear();
    cached = 0;
  }
  cached++;
  byIdentity.set(key, [...(bucket ?? []), info]);
  return info;
}

/** The cache: parsed certificates by serial and length (a bucket per key), `cached` of them in all. */
const byIdentity = new Map<string, CertInfo[]>();
let cached = 0;

/** Issuer Name bytes and serial of a certificate, read from its DER without parsing the rest. */
export function certIdentity(der: Uint8Array): { issuer: Uint8Array; serialHex: string } {
  const tbs = readTlv(der, readTlv(der, 0).valueStart);
  let p = tbs.valueStart;
  let t = readTlv(der, p, tbs.end);
  if (t.tag === contextTag(0)) t = readTlv(der, (p = t.end), tbs.end);
  const serial = t;
  const sigAlg = readTlv(der, serial.end, tbs.end);
  const issuer = readTlv(der, sigAlg.end, tbs.end);
  if (serial.tag !== Tag.INTEGER || issuer.tag !== Tag.SEQUENCE) throw new DerError("TBSCertificate is malformed");
  return { issuer: bytesOf(der, issuer), serialHex: integerHex(der, serial) };
}

function parseCertificate(der: Uint8Array, sha256: string): CertInfo {
  const outer = expectTlv(der, 0, Tag.SEQUENCE, "Certificate");
  if (outer.end !== der.length) throw new DerError("trailing bytes after Certificate");
  assertStrictCertificate(der);
  const [tbs, sigAlg] = childrenOf(der, outer);
  if (!tbs || !sigAlg) throw new DerError("Certificate is incomplete");
  const t = childrenOf(der, tbs);
  const o = t[0]?.tag === contextTag(0) ? 1 : 0;
  const [serial, , issuer, , subject, spki] = t.slice(o);
  if (
    serial?.tag !== Tag.INTEGER ||
    issuer?.tag !== Tag.SEQUENCE ||
    subject?.tag !== Tag.SEQUENCE ||
    spki?.tag !== Tag.SEQUENCE
  ) {
    throw new DerError("TBSCertificate is malformed");
  }
  const signatureAlgorithm = readSignatureAlgorithm(der, sigAlg);
  let pcert: x509.X509Certificate;
  let node: NodeX509;
  try {
    pcert = new x509.X509Certificate(der.slice());
    node = new NodeX509(der);
  } catch (cause) {
    throw new DerError(`certificate does not parse: ${(cause as Error).message}`);
  }
  const sm2Key = sm2KeyOfSpki(bytesOf(der, spki));
  const subjectDer = toHex(bytesOf(der, subject));
  const issuerDer = toHex(bytesOf(der, issuer));
  const ext = readExtensions(pcert);
  const signatureHash = hashOfSignatureAlgorithm(signatureAlgorithm);
  const info: CertInfo = {
    der,
    sha256,
    sha256Bytes: Uint8Array.from(sha256.match(/../g)!.map((h) => parseInt(h, 16))),
    subject: pcert.subject,
    issuer: pcert.issuer,
    subjectDer,
    issuerDer,
    issuerBytes: bytesOf(der, issuer),
    serialHex: integerHex(der, serial),
    notBefore: pcert.notBefore,
    notAfter: pcert.notAfter,
    ...ext,
    signatureAlgorithm,
    ...(signatureHash ? { signatureHash } : {}),
    ...(sm2Key
      ? { keyType: "sm2", keyBits: 256, curve: "SM2", sm2Key, publicKey: undefined! }
      : keyFacts(node.publicKey)),
    selfIssued: subjectDer === issuerDer,
    node,
  };
  // An SM2 key is verified with `sm2Key` only; workerd cannot make a KeyObject of it at all, so Node's is read on
  // demand (key-file matching under Node) instead of failing every SM2 certificate there.
  if (sm2Key) Object.defineProperty(info, "publicKey", { get: () => node.publicKey, enumerable: true });
  return info;
}

function keyFacts(publicKey: KeyObject): Pick<CertInfo, "publicKey" | "keyType" | "keyBits" | "curve"> {
  const details = publicKey.asymmetricKeyDetails ?? {};
  return {
    publicKey,
    keyType: publicKey.asymmetricKeyType ?? "unknown",
    ...(details.modulusLength ? { keyBits: details.modulusLength } : {}),
    ...(details.namedCurve ? { curve: details.namedCurve } : {}),
  };
}

type ExtensionFacts = Pick<
  CertInfo,
  | "isCa"
  | "pathLength"
  | "keyUsage"
  | "extendedKeyUsage"
  | "agencyIds"
  | "uris"
  | "skiHex"
  | "akiHex"
  | "unknownCriticalExtensions"
>;

function readExtensions(cert: x509.X509Certificate): ExtensionFacts {
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = cert.getExtension(x509.AuthorityKeyIdentifierExtension);
  const uris = (san?.names.items ?? []).filter((n) => n.type === "url").map((n) => n.value);
  const agencyIds = uris.map((uri) => AGENCY_URI.exec(uri)?.[1]).filter((id): id is string => id !== undefined);
  return {
    isCa: bc?.ca ?? false,
    ...(bc?.pathLength !== undefined ? { pathLength: bc.pathLength } : {}),
    ...(ku ? { keyUsage: ku.usages } : {}),
    extendedKeyUsage: (eku?.usages ?? []).map(String),
    agencyIds,
    uris,
    ...(ski ? { skiHex: ski.keyId.toLowerCase() } : {}),
    ...(aki?.keyId ? { akiHex: aki.keyId.toLowerCase() } : {}),
    unknownCriticalExtensions: cert.extensions
      .filter((e) => e.critical && !PROCESSED_EXTENSIONS.has(e.type))
      .map((e) => e.type),
  };
}

/** Whether `issuer`'s key made `cert`'s signature (cached per pair: chains are re-checked often). */
const issuedCache = new Map<string, boolean>();
export function isSignedBy(cert: CertInfo, issuer: CertInfo): boolean {
  const key = cert.sha256 + issuer.sha256;
  let ok = issuedCache.get(key);
  if (ok === undefined) {
    try {
      // SM3withSM2 (issue 16): Node would verify with an empty signer ID, so these go through sm2.ts; an SM2
      // key is trusted for nothing else (Node would try SM2 with an empty ID under any other algorithm).
      const sm2 = cert.signatureAlgorithm === OID.sm3WithSm2;
      if (sm2 !== (issuer.keyType === "sm2")) ok = false;
      else ok = sm2 ? !!issuer.sm2Key && isSm2SignedBy(cert.der, issuer.sm2Key) : cert.node.verify(issuer.publicKey);
    } catch {
      ok = false;
    }
    if (issuedCache.size >= CACHE_LIMIT) issuedCache.clear();
    issuedCache.set(key, ok);
  }
  return ok;
}

export const KeyUsageBits = x509.KeyUsageFlags;
