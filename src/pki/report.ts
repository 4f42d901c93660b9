import type { CertInfo } from "./certificate.ts";
import { policyDigest, type ValidationPolicy } from "./policy.ts";
import type { SealSummary } from "./ses/summary.ts";

/**
 * Verification report in ETSI TS 119 102-1 vocabulary with DSS sub-indications
 * (docs/references.md "Seal and archive anchors", docs/contracts.md "Verification reports").
 */
export type Indication = "TOTAL_PASSED" | "TOTAL_FAILED" | "INDETERMINATE";

export type SubIndication =
  | "FORMAT_FAILURE"
  | "HASH_FAILURE"
  | "SIG_CRYPTO_FAILURE"
  | "REVOKED"
  | "SIG_CONSTRAINTS_FAILURE"
  | "CHAIN_CONSTRAINTS_FAILURE"
  | "CERTIFICATE_CHAIN_GENERAL_FAILURE"
  | "CRYPTO_CONSTRAINTS_FAILURE"
  | "NO_SIGNING_CERTIFICATE_FOUND"
  | "NO_CERTIFICATE_CHAIN_FOUND"
  | "REVOKED_NO_POE"
  | "REVOKED_CA_NO_POE"
  | "OUT_OF_BOUNDS_NO_POE"
  | "OUT_OF_BOUNDS_NOT_REVOKED"
  | "NOT_YET_VALID"
  | "TRY_LATER"
  | "SIGNED_DATA_NOT_FOUND";

export type CheckStatus = "PASSED" | "FAILED" | "WARNING" | "SKIPPED";

/**
 * One check performed. `id` names the EN 319 102-1 building block first (FC format, ISC signing
 * certificate identification, CV cryptographic verification, SAV signature acceptance, XCV X.509
 * certificate validation, RFC revocation freshness), then the check.
 */
export interface Check {
  id: string;
  status: CheckStatus;
  detail: string;
  /** Set on a failed check: what it makes of the whole verdict. */
  indication?: Exclude<Indication, "TOTAL_PASSED">;
  subIndication?: SubIndication;
}

export interface SignerSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  certificateSha256: string;
  agencyIds: string[];
  notBefore: string;
  notAfter: string;
}

export interface VerificationReport {
  indication: Indication;
  subIndication?: SubIndication;
  signer?: SignerSummary;
  signingTime?: string;
  /** The time the verdict applies to. */
  validationTime: string;
  checks: Check[];
  /** Certificates of the path used, signer first, as SHA-256 fingerprints. */
  chain?: string[];
  policy: { name: string; digest: string; revocation: "required" | "optional" };
  /** "ses" for a GB/T 38540 SES_Signature or SESeal (issue 16); absent for CAdES, so CAdES reports are unchanged. */
  format?: "ses";
  /** The GB/T 38540 seal's summary (format "ses"). */
  seal?: SealSummary;
}

/** The report's reference to a policy: its name, digest and revocation rule. */
export function policyReference(policy: ValidationPolicy): VerificationReport["policy"] {
  return { name: policy.name, digest: policyDigest(policy), revocation: policy.revocation };
}

/** The report's summary of the signer certificate. */
export function signerSummary(c: CertInfo): SignerSummary {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialHex,
    certificateSha256: c.sha256,
    agencyIds: c.agencyIds,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  };
}

export function passed(id: string, detail: string): Check {
  return { id, status: "PASSED", detail };
}

export function warning(id: string, detail: string): Check {
  return { id, status: "WARNING", detail };
}

export function skipped(id: string, detail: string): Check {
  return { id, status: "SKIPPED", detail };
}

export function failed(
  id: string,
  indication: Exclude<Indication, "TOTAL_PASSED">,
  subIndication: SubIndication,
  detail: string,
): Check {
  return { id, status: "FAILED", detail, indication, subIndication };
}

/**
 * Which failure decides the verdict, in EN 319 102-1 §5.3.4 order (as DSS's
 * AbstractBasicValidationProcess runs it): FC (a FORMAT_FAILURE from any check), then ISC, then CV
 * (a HASH_FAILURE or SIG_CRYPTO_FAILURE outranks a certificate problem), then XCV with its revocation
 * data, then SAV. So an expired signer whose signing-time also lies after notAfter is OUT_OF_BOUNDS_*
 * (XCV), not SIG_CONSTRAINTS_FAILURE (SAV). Inside XCV, several failures of one path rank as below,
 * ties going to the check listed first (the signer before its CAs): revocation is the strongest
 * statement (§5.2.6 lists it first), then validity, then the chain constraints, then algorithms, and
 * missing revocation data last (TRY_LATER is the only outcome that waiting can change).
 */
const BLOCK_RANK: Record<string, number> = { FC: 0, ISC: 1, CV: 2, XCV: 3, RFC: 3, SAV: 4 };
const XCV_RANK: Partial<Record<SubIndication, number>> = {
  NO_CERTIFICATE_CHAIN_FOUND: 0,
  REVOKED_NO_POE: 1,
  REVOKED_CA_NO_POE: 1,
  OUT_OF_BOUNDS_NOT_REVOKED: 2,
  OUT_OF_BOUNDS_NO_POE: 2,
  NOT_YET_VALID: 2,
  CERTIFICATE_CHAIN_GENERAL_FAILURE: 3,
  CHAIN_CONSTRAINTS_FAILURE: 3,
  CRYPTO_CONSTRAINTS_FAILURE: 4,
  TRY_LATER: 5,
};

function rankOf(c: Check): number {
  if (c.subIndication === "FORMAT_FAILURE") return 0;
  const block = BLOCK_RANK[c.id.slice(0, c.id.indexOf("."))] ?? BLOCK_RANK.SAV!;
  return block * 10 + (block === BLOCK_RANK.XCV ? (XCV_RANK[c.subIndication!] ?? 3) : 0);
}

/** The verdict: the deciding failure's indication and sub-indication, otherwise TOTAL_PASSED. */
export function conclude(checks: readonly Check[]): { indication: Indication; subIndication?: SubIndication } {
  let deciding: Check | undefined;
  let best = Infinity;
  for (const c of checks) {
    if (c.status !== "FAILED") continue;
    const rank = rankOf(c);
    if (rank < best) [deciding, best] = [c, rank];
  }
  return deciding
    ? { indication: deciding.indication!, subIndication: deciding.subIndication! }
    : { indication: "TOTAL_PASSED" };
}
