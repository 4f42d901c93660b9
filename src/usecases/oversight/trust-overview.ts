import { sealFormatsOf, type CertificateListing, type SealFormatName } from "../../domain/directory/index.ts";
import { certInfo } from "../../pki/index.ts";
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

export interface TrustOverview {
  agencyId: string;
  certificates: CertificateFacts[];
  /** null when this gateway runs without a directory (every agency hosted here). */
  directory: DirectoryFacts | null;
}

const DAY_MS = 24 * 3600 * 1000;

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
  return { agencyId, certificates, directory: directoryFacts(deps.directory?.current(), now) };
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
