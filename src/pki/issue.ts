import "reflect-metadata";
import * as x509 from "@peculiar/x509";

/**
 * Certificate and CRL issuance on @peculiar/x509 (WebCrypto). Used by the development PKI and the
 * test fixtures; verification never goes through here. Everything an issuer decides (serial, dates,
 * key usage, path length) is an argument: no hidden clock, no hidden randomness except key generation.
 */

const subtle = globalThis.crypto.subtle;
x509.cryptoProvider.set(globalThis.crypto);

export type KeyAlgorithm = "ecdsa-p256" | "ecdsa-p384" | "rsa-2048" | "rsa-3072" | "rsa-1024";
export type HashName = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072", "rsa-1024"];

/** WebCrypto parameters for a key algorithm, with the hash its signatures use by default. */
export function webCryptoParams(
  alg: KeyAlgorithm,
  hash?: HashName,
): RsaHashedKeyGenParams | (EcKeyGenParams & { hash: string }) {
  switch (alg) {
    case "ecdsa-p256":
      return { name: "ECDSA", namedCurve: "P-256", hash: hash ?? "SHA-256" };
    case "ecdsa-p384":
      return { name: "ECDSA", namedCurve: "P-384", hash: hash ?? "SHA-384" };
    case "rsa-1024":
    case "rsa-2048":
    case "rsa-3072":
      return {
        name: "RSASSA-PKCS1-v1_5",
        modulusLength: Number(alg.slice(4)),
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: hash ?? "SHA-256",
      };
  }
}

export async function generateKeyPair(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(webCryptoParams(alg), true, ["sign", "verify"])) as CryptoKeyPair;
}

export interface Issuer {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  algorithm: KeyAlgorithm;
}

export interface CertificateProfile {
  subject: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: CryptoKey;
  /** Present for CA certificates; `pathLength` undefined means unconstrained. */
  ca?: { pathLength?: number };
  keyUsage: number;
  /** Bound as `urn:jiexu:agency:<id>` in a subjectAltName URI (docs/business-flow.md "Identities"). */
  agencyId?: string;
  /** Further subjectAltName URIs, e.g. DIRECTORY_OPERATOR_URI for the directory operator. */
  uris?: string[];
  extendedKeyUsage?: string[];
  /** Hash for the issuer's signature over this certificate; SHA-256 unless a test wants SHA-1. */
  signatureHash?: HashName;
  extraExtensions?: x509.Extension[];
}

export const KeyUsage = x509.KeyUsageFlags;

async function extensionsFor(profile: CertificateProfile, issuer?: Issuer): Promise<x509.Extension[]> {
  const exts: x509.Extension[] = [];
  if (profile.ca) exts.push(new x509.BasicConstraintsExtension(true, profile.ca.pathLength, true));
  else exts.push(new x509.BasicConstraintsExtension(false, undefined, true));
  exts.push(new x509.KeyUsagesExtension(profile.keyUsage, true));
  exts.push(await x509.SubjectKeyIdentifierExtension.create(profile.publicKey));
  if (issuer) exts.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate));
  const uris = [...(profile.agencyId ? [agencyUri(profile.agencyId)] : []), ...(profile.uris ?? [])];
  if (uris.length)
    exts.push(new x509.SubjectAlternativeNameExtension(uris.map((value) => ({ type: "url" as const, value }))));
  if (profile.extendedKeyUsage) exts.push(new x509.ExtendedKeyUsageExtension(profile.extendedKeyUsage, false));
  return [...exts, ...(profile.extraExtensions ?? [])];
}

/** SAN URI of the national root operator's certificate that seals the directory (docs/directory.md "Sealed form"). */
export const DIRECTORY_OPERATOR_URI = "urn:jiexu:directory-operator";

export function agencyUri(agencyId: string): string {
  return `urn:jiexu:agency:${agencyId}`;
}

/** Issue a certificate; without an issuer it is self-signed with `selfKey`. */
export async function issueCertificate(
  profile: CertificateProfile,
  issuer: Issuer | { selfKey: CryptoKey; algorithm: KeyAlgorithm },
): Promise<x509.X509Certificate> {
  const realIssuer = "certificate" in issuer ? issuer : undefined;
  const signingKey = realIssuer ? realIssuer.privateKey : (issuer as { selfKey: CryptoKey }).selfKey;
  return x509.X509CertificateGenerator.create({
    serialNumber: profile.serialNumber,
    subject: profile.subject,
    issuer: realIssuer ? realIssuer.certificate.subject : profile.subject,
    notBefore: profile.notBefore,
    notAfter: profile.notAfter,
    publicKey: profile.publicKey,
    signingKey,
    signingAlgorithm: webCryptoParams(issuer.algorithm, profile.signatureHash),
    extensions: await extensionsFor(profile, realIssuer),
  });
}

export interface RevokedEntry {
  serialNumber: string;
  revokedAt: Date;
  /**
   * RFC 5280 §5.3.1 reason. Always set: an entry without one makes pkijs refuse the whole CRL
   * (docs/references.md "Library pitfalls").
   */
  reason: x509.X509CrlReason;
}

export const CrlReason = x509.X509CrlReason;

/**
 * Issue a CRL. `nextUpdate` is mandatory: x509 drops every entry of a CRL without it
 * (docs/references.md "Library pitfalls").
 */
export async function issueCrl(
  issuer: Issuer,
  params: { thisUpdate: Date; nextUpdate: Date; entries: RevokedEntry[]; crlNumber?: number },
): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subject,
    thisUpdate: params.thisUpdate,
    nextUpdate: params.nextUpdate,
    signingKey: issuer.privateKey,
    signingAlgorithm: webCryptoParams(issuer.algorithm),
    entries: params.entries.map((e) => ({
      serialNumber: e.serialNumber,
      revocationDate: e.revokedAt,
      reason: e.reason,
    })),
    // RFC 5280 §5.2.1: conforming CRL issuers MUST include the authority key identifier.
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate),
      ...(params.crlNumber !== undefined ? [crlNumberExtension(params.crlNumber)] : []),
    ],
  });
}

/** cRLNumber (2.5.29.20), RFC 5280 §5.2.3: a non-critical INTEGER. */
export function crlNumberExtension(n: number): x509.Extension {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0]! & 0x80) !== 0) bytes.unshift(0);
  return new x509.Extension("2.5.29.20", false, new Uint8Array([0x02, bytes.length, ...bytes]));
}

export async function exportPkcs8Pem(key: CryptoKey): Promise<string> {
  const der = await subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

export function toPem(der: ArrayBuffer | Uint8Array, label: string): string {
  const buf = der instanceof Uint8Array ? der.slice().buffer : der;
  return x509.PemConverter.encode(buf, label);
}

export { x509 };
