import { DIRECTORY_OPERATOR_URI, KeyUsage, SEAL_MAKER_URI, sha256Hex } from "../pki/index.ts";
import { DEFAULT_AGENCIES, checkAgencySpecs, organizationIdentifier, type AgencySpec } from "./agencies.ts";
import {
  issueDev,
  issueDevCrl,
  type DevCredential,
  type DevCrl,
  type DevIssuer,
  type DevKeyAlgorithm,
  type IssueContext,
  type IssueRequest,
  type Issued,
} from "./pki-issue.ts";

/**
 * The development PKI: a national root, one issuing CA, and per agency a seal and a gateway receipt
 * certificate, plus a CRL per CA and the directory operator's certificate (issued by the root). Pure and in
 * memory (no fs: src/pki must run in workerd); the CLI lays it out on disk through `devPkiFiles`. Every subject
 * says JIEXU DEVELOPMENT ONLY.
 *
 * "sm2" (issue 16, GB/T 38540 seals): the CAs, the seal certificates and the seal maker (制章者, who signs the
 * SESeal files) hold SM2 keys and every certificate and CRL is signed SM3withSM2. The receipt and directory
 * operator keys stay ECDSA P-256, certified by the SM2 CAs: the gateway's receipts and the sealed directory are
 * CAdES (seal.ts, directory-seal.ts), and SM2 keys seal only in the GB/T 38540 format.
 */

export type DevPkiAlgorithm = "ecdsa-p256" | "ecdsa-p384" | "rsa-2048" | "sm2";
export const DEV_PKI_ALGORITHMS: readonly DevPkiAlgorithm[] = ["ecdsa-p256", "ecdsa-p384", "rsa-2048", "sm2"];
export { DEFAULT_AGENCIES, type AgencySpec };
export { pem, randomSerial, type DevCredential, type DevCrl } from "./pki-issue.ts";

/**
 * SEAL_MAKER_URI: the subjectAltName URI of the development seal maker (制章者), whose key signs SESeal files;
 * defined in src/pki since the SES verifier requires it of a maker when no seal-maker anchors are configured.
 */
export { SEAL_MAKER_URI, sha256Hex };

export const DEV_MARK = "JIEXU DEVELOPMENT ONLY";
/** OU of gateway receipt certificates; with the CN suffix it tells them from seal certificates. */
export const RECEIPT_OU = "Jiexu gateway receipts";
export const RECEIPT_CN_SUFFIX = " 接续网关回执";

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
  /** "sm2" only: the seal maker (制章者) that signs SESeal files, SAN `urn:jiexu:seal-maker`, issued by the root. */
  maker?: DevCredential;
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
  const ctx: Ctx = { now: options.now, random: options.random ?? fillRandom, keys: keyAlgorithms(options.algorithm) };
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
  const maker = options.algorithm === "sm2" ? await issueMaker(ctx, root.issuer) : undefined;
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
    ...(maker ? { maker } : {}),
  };
}

/** Key algorithm per role: CAs and seals (and the maker) take the PKI's; CAdES-only roles stay off SM2. */
interface RoleKeys {
  ca: DevKeyAlgorithm;
  seal: DevKeyAlgorithm;
  cades: DevKeyAlgorithm;
}
type Ctx = IssueContext & { keys: RoleKeys };

function keyAlgorithms(algorithm: DevPkiAlgorithm): RoleKeys {
  return { ca: algorithm, seal: algorithm, cades: algorithm === "sm2" ? "ecdsa-p256" : algorithm };
}

async function issueCa(ctx: Ctx, subject: string, years: number, parent: DevIssuer | undefined): Promise<Issued> {
  // RFC 5280 §4.2.1.9: the issuing CA only signs end entities, so pathLen 0; the root is unconstrained.
  const ca = parent ? { pathLength: 0 } : {};
  const keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
  return issueDev(ctx, { subject, years, ca, keyUsage }, ctx.keys.ca, parent);
}

async function issueSeal(ctx: Ctx, issuer: DevIssuer, spec: AgencySpec): Promise<DevCredential> {
  const keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
  const req: IssueRequest = { subject: agencySubject(spec, ""), years: 2, keyUsage, agencyId: spec.id };
  return (await issueDev(ctx, req, ctx.keys.seal, issuer)).credential;
}

/** Receipt keys belong to the gateway: digitalSignature only (a transport receipt is no commitment). */
async function issueReceipt(ctx: Ctx, issuer: DevIssuer, spec: AgencySpec): Promise<DevCredential> {
  const subject = agencySubject(spec, RECEIPT_CN_SUFFIX, RECEIPT_OU);
  const req: IssueRequest = { subject, years: 2, keyUsage: KeyUsage.digitalSignature, agencyId: spec.id };
  return (await issueDev(ctx, req, ctx.keys.cades, issuer)).credential;
}

async function issueSuperseded(ctx: Ctx, issuer: DevIssuer, spec: AgencySpec): Promise<DevRevocation> {
  const credential = await issueSeal(ctx, issuer, spec);
  return { agencyId: spec.id, role: "seal", reason: "superseded", revokedAt: credential.notBefore, credential };
}

/** The national root operator seals the directory: a commitment, so nonRepudiation as for agency seals. */
async function issueOperator(ctx: Ctx, root: DevIssuer): Promise<DevCredential> {
  const subject = `C=CN, O=${DEV_MARK}, CN=Jiexu Directory Operator (${DEV_MARK})`;
  const keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
  return (await issueDev(ctx, { subject, years: 2, keyUsage, uris: [DIRECTORY_OPERATOR_URI] }, ctx.keys.cades, root))
    .credential;
}

/** The seal maker (制章者, GB/T 38540 §5): its signature on an SESeal vouches for the seal, so nonRepudiation. */
async function issueMaker(ctx: Ctx, root: DevIssuer): Promise<DevCredential> {
  const subject = `C=CN, O=${DEV_MARK}, CN=Jiexu Seal Maker (${DEV_MARK})`;
  const keyUsage = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
  return (await issueDev(ctx, { subject, years: 5, keyUsage, uris: [SEAL_MAKER_URI] }, ctx.keys.seal, root)).credential;
}

function agencySubject(spec: AgencySpec, cnSuffix: string, ou?: string): string {
  const unit = ou ? `, OU=${ou}` : "";
  return `C=CN, ST=${spec.region}, O=${spec.name} (${DEV_MARK})${unit}, 2.5.4.97=${organizationIdentifier(spec.id)}, CN=${spec.name}${cnSuffix}`;
}

function fillRandom(bytes: Uint8Array<ArrayBuffer>): Uint8Array {
  return globalThis.crypto.getRandomValues(bytes);
}
