import { sealFormatsOf, type CertificateListing, type SealFormatName } from "../../domain/directory/index.ts";
import { certInfo, parseCrl, sha256Hex } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";
import type { Principal } from "../ports.ts";
import { requireAgency } from "../principal.ts";

/**
 * What the console's "directory and certificates" page shows (issue 13 item 4): the signed-in agency's seal
 * and receipt certificates, the trust anchors and intermediates, and the directory's listings, each with
 * how far it is from expiry. Thirty days ahead is when an operator must start the renewal.
 */
export const EXPIRY_WARNING_DAYS = 30;

export type Expiry = "valid" | "expiring" | "expired";

export interface Period {
  notBefore: string;
  notAfter: string;
  expiry: Expiry;
  /** Whole days until notAfter (negative once past). */
  daysLeft: number;
}

export interface CertificateFacts extends Period {
  role: "seal" | "receipt" | "anchor" | "intermediate";
  subject: string;
  sha256: string;
}

export interface DirectoryFacts {
  operator: string;
  sequence: number;
  issuedAt: string;
  expiresAt: string;
  expiry: Expiry;
  daysLeft: number;
  agencies: {
    id: string;
    name: string;
    gatewayUrl: string;
    /** The formats its documents may be sealed in (issue 16): the listing's, or CAdES alone. */
    sealFormats: SealFormatName[];
    certificates: (Period & { role: "seal" | "receipt"; sha256: string })[];
  }[];
}

/**
 * A CRL is re-issued every few days and the gateway verifies nothing chained to its issuer once it is past its
 * nextUpdate (fail closed: INDETERMINATE / TRY_LATER): two days ahead is when its successor must be loaded.
 */
export const CRL_WARNING_HOURS = 48;

export interface CrlFacts {
  /** The issuing CA's subject when it is one of the configured certificates, else its name's DER in hex. */
  issuer: string;
  sha256: string;
  thisUpdate?: string;
  /** Absent when the CRL has none or does not parse: such a CRL is never usable, so it counts as expired. */
  nextUpdate?: string;
  expiry: Expiry;
  /** Whole hours until nextUpdate (negative once past). */
  hoursLeft: number;
}

export interface TrustOverview {
  agencyId: string;
  certificates: CertificateFacts[];
  /** The revocation lists verification relies on (the configured CRLs, as loaded now). */
  crls: CrlFacts[];
  /** null when this gateway runs without a directory (every agency hosted here). */
  directory: DirectoryFacts | null;
}

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** How close `notAfter` is at `now`: expired, within the warning window, or comfortably valid. */
export function expiryOf(notAfter: string, now: Date): { expiry: Expiry; daysLeft: number } {
  const left = Date.parse(notAfter) - now.getTime();
  const daysLeft = Math.floor(left / DAY_MS);
  const expiry = left <= 0 ? "expired" : left <= EXPIRY_WARNING_DAYS * DAY_MS ? "expiring" : "valid";
  return { expiry, daysLeft };
}

export function readTrustOverview(
  deps: Pick<GatewayDeps, "agencies" | "clock" | "trustMaterial" | "directory">,
  principal: Principal,
): TrustOverview {
  const agencyId = requireAgency(principal);
  const agency = deps.agencies.hosted(agencyId);
  if (!agency) throw new GatewayError("FORBIDDEN", `agency ${agencyId} is not hosted here`);
  const now = deps.clock.now();
  const describe = (role: CertificateFacts["role"], der: Uint8Array): CertificateFacts => {
    const info = certInfo(der);
    const notAfter = info.notAfter.toISOString();
    return {
      role,
      subject: info.subject,
      sha256: info.sha256,
      notBefore: info.notBefore.toISOString(),
      notAfter,
      ...expiryOf(notAfter, now),
    };
  };
  const trust = deps.trustMaterial?.();
  const certificates = [
    ...(agency.sealKey.certificate ? [describe("seal", agency.sealKey.certificate)] : []),
    ...(agency.receiptKey.certificate ? [describe("receipt", agency.receiptKey.certificate)] : []),
    ...(trust?.anchors ?? []).map((der) => describe("anchor", der)),
    ...(trust?.intermediates ?? []).map((der) => describe("intermediate", der)),
  ];
  const issuers = [...(trust?.anchors ?? []), ...(trust?.intermediates ?? [])].map((der) => certInfo(der));
  const crls = (trust?.crls ?? []).map((der) => crlFacts(der, issuers, now));
  return { agencyId, certificates, crls, directory: directoryFacts(deps.directory?.current(), now) };
}

/**
 * Seconds until the earliest next update among the configured CRLs, negative once one has passed, 0 for one
 * that is unusable (no next update, or unreadable), NaN with no CRL: the monitoring gauge of the page's warning.
 */
export function secondsToCrlUpdate(deps: Pick<GatewayDeps, "clock" | "trustMaterial">): number {
  const now = deps.clock.now();
  const crls = (deps.trustMaterial?.().crls ?? []).map((der) => crlFacts(der, [], now));
  if (crls.length === 0) return Number.NaN;
  return Math.min(...crls.map((c) => (c.nextUpdate ? (Date.parse(c.nextUpdate) - now.getTime()) / 1000 : 0)));
}

/** What the page and the gauge read of a CRL, by its bytes: a CRL can list many thousand entries, parsed once. */
interface CrlSummary {
  sha256: string;
  issuerDer?: string;
  thisUpdate?: Date;
  nextUpdate?: Date;
}
const summaries = new WeakMap<Uint8Array, CrlSummary>();

function summaryOf(der: Uint8Array): CrlSummary {
  let summary = summaries.get(der);
  if (!summary) {
    summary = { sha256: sha256Hex(der) };
    try {
      const { issuerDer, thisUpdate, nextUpdate } = parseCrl(der);
      summary = { ...summary, issuerDer, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}) };
    } catch {
      // Unreadable: no issuer, no next update, so it shows as unusable.
    }
    summaries.set(der, summary);
  }
  return summary;
}

function crlFacts(der: Uint8Array, issuers: { subject: string; subjectDer: string }[], now: Date): CrlFacts {
  const { sha256, issuerDer, thisUpdate, nextUpdate } = summaryOf(der);
  if (issuerDer === undefined || thisUpdate === undefined)
    return { issuer: "?", sha256, expiry: "expired", hoursLeft: 0 };
  const issuer = issuers.find((c) => c.subjectDer === issuerDer)?.subject ?? issuerDer;
  if (!nextUpdate) return { issuer, sha256, thisUpdate: thisUpdate.toISOString(), expiry: "expired", hoursLeft: 0 };
  const left = nextUpdate.getTime() - now.getTime();
  const expiry = left <= 0 ? "expired" : left <= CRL_WARNING_HOURS * HOUR_MS ? "expiring" : "valid";
  return {
    issuer,
    sha256,
    thisUpdate: thisUpdate.toISOString(),
    nextUpdate: nextUpdate.toISOString(),
    expiry,
    hoursLeft: Math.floor(left / HOUR_MS),
  };
}

function directoryFacts(directory: ReturnType<NonNullable<GatewayDeps["directory"]>["current"]>, now: Date) {
  if (!directory) return null;
  const listing = (role: "seal" | "receipt") => (c: CertificateListing) => ({
    role,
    sha256: c.sha256,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    ...expiryOf(c.notAfter, now),
  });
  return {
    operator: directory.operator,
    sequence: directory.sequence,
    issuedAt: directory.issuedAt,
    expiresAt: directory.expiresAt,
    ...expiryOf(directory.expiresAt, now),
    agencies: directory.agencies.map((a) => ({
      id: a.id,
      name: a.name,
      gatewayUrl: a.gatewayUrl,
      sealFormats: [...sealFormatsOf(a)],
      certificates: [...a.sealCertificates.map(listing("seal")), ...a.receiptCertificates.map(listing("receipt"))],
    })),
  };
}
