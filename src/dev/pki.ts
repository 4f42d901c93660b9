import "reflect-metadata";
import {
  CrlReason,
  DIRECTORY_OPERATOR_URI,
  KeyUsage,
  exportPkcs8Pem,
  generateKeyPair,
  issueCertificate,
  issueCrl,
  toPem,
  type CertificateProfile,
  type Issuer,
  type x509,
  sha256Hex,
} from "../pki/index.ts";
import { DEFAULT_AGENCIES, checkAgencySpecs, organizationIdentifier, type AgencySpec } from "./agencies.ts";

/**
 * The development PKI: a national root, one issuing CA, and per agency a seal and a gateway receipt
 * certificate, plus a CRL per CA and the directory operator's certificate (issued by the root). Pure and in memory (no fs: src/pki must run in workerd); the CLI
 * lays it out on disk through `devPkiFiles`. Every subject says JIEXU DEVELOPMENT ONLY.
 */

export type DevPkiAlgorithm = "ecdsa-p256" | "ecdsa-p384" | "rsa-2048";
export const DEV_PKI_ALGORITHMS: readonly DevPkiAlgorithm[] = ["ecdsa-p256", "ecdsa-p384", "rsa-2048"];
export { DEFAULT_AGENCIES, type AgencySpec };

export { sha256Hex };

export const DEV_MARK = "JIEXU DEVELOPMENT ONLY";
/** OU of gateway receipt certificates; with the CN suffix it tells them from seal certificates. */
export const RECEIPT_OU = "Jiexu gateway receipts";
export const RECEIPT_CN_SUFFIX = " 接续网关回执";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DevCredential {
  subject: string;
  /** Lower-case hex, as @peculiar/x509 prints it. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  certificateDer: Uint8Array;
  certificatePem: string;
  /** PKCS#8 PEM ("PRIVATE KEY"). */
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

export interface DevCa extends DevCredential {
  crl: DevCrl;
}
export interface DevAgency {
  spec: AgencySpec;
  seal: DevCredential;
  receipt: DevCredential;
}
export interface DevRevocation {
  agencyId: string;
  role: "seal";
  reason: "superseded";
  revokedAt: Date;
  credential: DevCredential;
}

export interface DevPki {
  developmentOnly: true;
  algorithm: DevPkiAlgorithm;
  createdAt: Date;
  root: DevCa;
  issuing: DevCa;
  agencies: DevAgency[];
  /** Certificates on the issuing CA's CRL: a superseded earlier seal certificate of the first agency. */
  revoked: DevRevocation[];
  /** Seals the directory (trust list): SAN `urn:jiexu:directory-operator`, issued by the root. */
  operator: DevCredential;
}

export interface DevPkiOptions {
  algorithm: DevPkiAlgorithm;
  now: Date;
  agencies?: readonly AgencySpec[];
  /** Fills its argument with random bytes; injectable so tests can make serials predictable. */
  random?: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array;
}

/** Build the whole development PKI in memory. */
export async function createDevPki(options: DevPkiOptions): Promise<DevPki> {
  const specs = options.agencies ?? DEFAULT_AGENCIES;
  checkAgencySpecs(specs);
  const ctx = { ...options, random: options.random ?? fillRandom };
  const root = await issueCa(ctx, `C=CN, O=${DEV_MARK}, CN=Jiexu National Root CA (${DEV_MARK})`, 20, undefined);
  const issuing = await issueCa(ctx, `C=CN, O=${DEV_MARK}, CN=Jiexu Issuing CA 1 (${DEV_MARK})`, 10, root.issuer);
  const agencies: DevAgency[] = [];
  for (const spec of specs) {
    agencies.push({
      spec,
      seal: await issueSeal(ctx, issuing.issuer, spec),
      receipt: await issueReceipt(ctx, issuing.issuer, spec),
    });
  }
  const revoked = specs[0] ? [await issueSuperseded(ctx, issuing.issuer, specs[0])] : [];
  const operator = await issueOperator(ctx, root.issuer);
  return {
    developmentOnly: true,
    algorithm: options.algorithm,
    createdAt: options.now,
    root: { ...root.credential, crl: await issueDevCrl(ctx, root.issuer, [], 365) },
    // Dev CRLs live long (90 days) so a dev gateway does not turn every verdict into TRY_LATER after a week.
    issuing: { ...issuing.credential, crl: await issueDevCrl(ctx, issuing.issuer, revoked, 90) },
    agencies,
    revoked,
    operator,
  };
}

type Ctx = Required<Pick<DevPkiOptions, "algorithm" | "now" | "random">>;
type Issued = { issuer: Issuer; credential: DevCredential };

async function issueCa(ctx: Ctx, subject: string, years: number, parent: Issuer | undefined): Promise<Issued> {
  // RFC 5280 §4.2.1.9: the issuing CA only signs end entities, so pathLen 0; the root is unconstrained.
  const ca = parent ? { pathLength: 0 } : {};
  const keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
  return issue(ctx, { subject, years, ca, keyUsage }, parent);
}

async function issueSeal(ctx: Ctx, issuer: Issuer, spec: AgencySpec): Promise<DevCredential> {
  const keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
  return (await issue(ctx, { subject: agencySubject(spec, ""), years: 2, keyUsage, agencyId: spec.id }, issuer))
    .credential;
}

/** Receipt keys belong to the gateway: digitalSignature only (a transport receipt is no commitment). */
async function issueReceipt(ctx: Ctx, issuer: Issuer, spec: AgencySpec): Promise<DevCredential> {
  const subject = agencySubject(spec, RECEIPT_CN_SUFFIX, RECEIPT_OU);
  return (await issue(ctx, { subject, years: 2, keyUsage: KeyUsage.digitalSignature, agencyId: spec.id }, issuer))
    .credential;
}

async function issueSuperseded(ctx: Ctx, issuer: Issuer, spec: AgencySpec): Promise<DevRevocation> {
  const credential = await issueSeal(ctx, issuer, spec);
  return { agencyId: spec.id, role: "seal", reason: "superseded", revokedAt: credential.notBefore, credential };
}

/** The national root operator seals the directory: a commitment, so nonRepudiation as for agency seals. */
async function issueOperator(ctx: Ctx, root: Issuer): Promise<DevCredential> {
  const subject = `C=CN, O=${DEV_MARK}, CN=Jiexu Directory Operator (${DEV_MARK})`;
  const keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
  return (await issue(ctx, { subject, years: 2, keyUsage, uris: [DIRECTORY_OPERATOR_URI] }, root)).credential;
}

function agencySubject(spec: AgencySpec, cnSuffix: string, ou?: string): string {
  const unit = ou ? `, OU=${ou}` : "";
  return `C=CN, ST=${spec.region}, O=${spec.name} (${DEV_MARK})${unit}, 2.5.4.97=${organizationIdentifier(spec.id)}, CN=${spec.name}${cnSuffix}`;
}

interface Request {
  subject: string;
  years: number;
  keyUsage: number;
  ca?: CertificateProfile["ca"];
  agencyId?: string;
  uris?: string[];
}

async function issue(ctx: Ctx, req: Request, parent: Issuer | undefined): Promise<Issued> {
  const keys = await generateKeyPair(ctx.algorithm);
  // Backdate an hour for clock skew between the CLI that made the PKI and the gateways using it.
  const notBefore = new Date(ctx.now.getTime() - HOUR);
  const notAfter = addYears(ctx.now, req.years);
  const profile: CertificateProfile = {
    ...req,
    serialNumber: randomSerial(ctx.random),
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
  };
  const cert = await issueCertificate(profile, parent ?? { selfKey: keys.privateKey, algorithm: ctx.algorithm });
  const issuer: Issuer = { certificate: cert, privateKey: keys.privateKey, algorithm: ctx.algorithm };
  return { issuer, credential: await toCredential(cert, keys.privateKey) };
}

async function toCredential(cert: x509.X509Certificate, key: CryptoKey): Promise<DevCredential> {
  const der = new Uint8Array(cert.rawData);
  return {
    subject: cert.subject,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    certificateDer: der,
    certificatePem: pem(der, "CERTIFICATE"),
    privateKeyPem: endLine(await exportPkcs8Pem(key)),
    fingerprint: sha256Hex(der),
  };
}

async function issueDevCrl(ctx: Ctx, issuer: Issuer, revoked: DevRevocation[], days: number): Promise<DevCrl> {
  const thisUpdate = new Date(ctx.now.getTime() - HOUR);
  const nextUpdate = new Date(ctx.now.getTime() + days * DAY);
  // RFC 5280 §5.3.1: every entry carries a reason (pkijs refuses entries with empty extensions,
  // docs/references.md "Library pitfalls").
  const entries = revoked.map((r) => ({
    serialNumber: r.credential.serialNumber,
    revokedAt: r.revokedAt,
    reason: CrlReason.superseded,
  }));
  const crl = await issueCrl(issuer, { thisUpdate, nextUpdate, entries, crlNumber: 1 });
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

function fillRandom(bytes: Uint8Array<ArrayBuffer>): Uint8Array {
  return globalThis.crypto.getRandomValues(bytes);
}

function addYears(date: Date, years: number): Date {
  const d = new Date(date.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}
