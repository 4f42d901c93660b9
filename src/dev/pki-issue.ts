import "reflect-metadata";
import {
  CrlReason,
  encodeSm2Pkcs8,
  exportPkcs8Pem,
  generateKeyPair,
  generateSm2Key,
  issueCertificate,
  issueCrl,
  issueSm2Certificate,
  issueSm2Crl,
  KeyError,
  sha256Hex,
  toPem,
  type CertificateProfile,
  type Issuer,
  type KeyAlgorithm,
  type Sm2Issuer,
  type Sm2PrivateKey,
  type x509,
} from "../pki/index.ts";

/**
 * Keys, certificates and CRLs of the development PKI, for WebCrypto algorithms (ECDSA, RSA) through issue.ts and
 * for SM2 (issue 16) through sm2-issue.ts. An SM2 CA may certify an ECDSA key (the SM2 PKI's CAdES-only roles);
 * an ECDSA or RSA CA never certifies an SM2 key.
 */

export type DevKeyAlgorithm = KeyAlgorithm | "sm2";

/** A CA's signing side: WebCrypto (issue.ts) or SM2 (sm2-issue.ts). */
export type DevIssuer = { kind: "webcrypto"; issuer: Issuer } | { kind: "sm2"; issuer: Sm2Issuer };

export interface DevCredential {
  subject: string;
  /** Lower-case hex, as @peculiar/x509 prints it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  certificateDer: Uint8Array;
  certificatePem: string;
  /** PKCS#8 PEM ("PRIVATE KEY"); for SM2 as `openssl genpkey -algorithm SM2` writes it. */
  privateKeyPem: string;
  /** SHA-256 of the certificate DER, lower-case hex. */
  fingerprint: string;
}

export interface DevCrl {
  der: Uint8Array;
  pem: string;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  revokedSerials: string[];
}

export interface IssueContext {
  now: Date;
  random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array;
}

export interface IssueRequest {
  subject: string;
  years: number;
  keyUsage: number;
  ca?: CertificateProfile["ca"];
  agencyId?: string;
  uris?: string[];
}

export type Issued = { issuer: DevIssuer; credential: DevCredential };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type SubjectKey =
  | { kind: "webcrypto"; keys: CryptoKeyPair; algorithm: KeyAlgorithm }
  | { kind: "sm2"; key: Sm2PrivateKey };

/** A fresh `algorithm` key certified by `parent` (self-signed without one). */
export async function issueDev(
  ctx: IssueContext,
  req: IssueRequest,
  algorithm: DevKeyAlgorithm,
  parent: DevIssuer | undefined,
): Promise<Issued> {
  const subject: SubjectKey =
    algorithm === "sm2"
      ? { kind: "sm2", key: generateSm2Key() }
      : { kind: "webcrypto", keys: await generateKeyPair(algorithm), algorithm };
  // Backdate an hour for clock skew between the CLI that made the PKI and the gateways using it.
  const base = {
    ...req,
    serialNumber: randomSerial(ctx.random),
    notBefore: new Date(ctx.now.getTime() - HOUR),
    notAfter: addYears(ctx.now, req.years),
  };
  const cert = await certify(base, subject, parent);
  if (subject.kind === "sm2") {
    const credential = toCredential(cert, pem(encodeSm2Pkcs8(subject.key), "PRIVATE KEY"));
    return { issuer: { kind: "sm2", issuer: { certificate: cert, key: subject.key } }, credential };
  }
  const { privateKey } = subject.keys;
  const credential = toCredential(cert, endLine(await exportPkcs8Pem(privateKey)));
  return {
    issuer: { kind: "webcrypto", issuer: { certificate: cert, privateKey, algorithm: subject.algorithm } },
    credential,
  };
}

type Profile = Omit<CertificateProfile, "publicKey">;

async function certify(
  profile: Profile,
  subject: SubjectKey,
  parent: DevIssuer | undefined,
): Promise<x509.X509Certificate> {
  const sm2Signed = parent ? parent.kind === "sm2" : subject.kind === "sm2";
  if (sm2Signed) {
    const publicKey =
      subject.kind === "sm2"
        ? subject.key
        : new Uint8Array(await globalThis.crypto.subtle.exportKey("spki", subject.keys.publicKey));
    const by = parent?.kind === "sm2" ? parent.issuer : { selfKey: (subject as { key: Sm2PrivateKey }).key };
    return issueSm2Certificate({ ...profile, publicKey }, by);
  }
  // createDevPki never asks for this (its SM2 seal keys come with SM2 CAs); issueDev is exported, so it is coded.
  if (subject.kind === "sm2")
    throw new KeyError("KEY_UNSUPPORTED", "the development PKI certifies SM2 keys with SM2 CAs only");
  const by =
    parent?.kind === "webcrypto" ? parent.issuer : { selfKey: subject.keys.privateKey, algorithm: subject.algorithm };
  return issueCertificate({ ...profile, publicKey: subject.keys.publicKey }, by);
}

function toCredential(cert: x509.X509Certificate, privateKeyPem: string): DevCredential {
  const der = new Uint8Array(cert.rawData);
  return {
    subject: cert.subject,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    certificateDer: der,
    certificatePem: pem(der, "CERTIFICATE"),
    privateKeyPem,
    fingerprint: sha256Hex(der),
  };
}

/** A CRL of `days` listing `revoked` (superseded), CRL number 1. */
export async function issueDevCrl(
  ctx: IssueContext,
  issuer: DevIssuer,
  revoked: { credential: DevCredential; revokedAt: Date }[],
  days: number,
): Promise<DevCrl> {
  const thisUpdate = new Date(ctx.now.getTime() - HOUR);
  const nextUpdate = new Date(ctx.now.getTime() + days * DAY);
  // RFC 5280 §5.3.1: every entry carries a reason (pkijs refuses entries with empty extensions,
  // docs/references.md "Library pitfalls").
  const entries = revoked.map((r) => ({
    serialNumber: r.credential.serialNumber,
    revokedAt: r.revokedAt,
    reason: CrlReason.superseded,
  }));
  const params = { thisUpdate, nextUpdate, entries, crlNumber: 1 };
  const crl = issuer.kind === "sm2" ? await issueSm2Crl(issuer.issuer, params) : await issueCrl(issuer.issuer, params);
  const der = new Uint8Array(crl.rawData);
  return {
    der,
    pem: pem(der, "X509 CRL"),
    thisUpdate,
    nextUpdate,
    crlNumber: 1,
    revokedSerials: entries.map((e) => e.serialNumber),
  };
}

/**
 * RFC 5280 §4.1.2.2: a positive serial of at most 20 octets. 16 random bytes with the top bit
 * cleared (positive) and the next bit set (so DER needs no leading zero and the length is fixed).
 */
export function randomSerial(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array): string {
  const bytes = random(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** PEM that ends in a newline, so files concatenate into valid bundles (chain.pem). */
export function pem(der: Uint8Array, label: string): string {
  return endLine(toPem(der, label));
}

function endLine(text: string): string {
  return text.endsWith("\n") ? text : text + "\n";
}

function addYears(date: Date, years: number): Date {
  const d = new Date(date.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}
