/**
 * Verification report in ETSI TS 119 102-1 vocabulary with DSS sub-indications
 * (anchors-seal-archive.md §1, DESIGN.md "Wire contracts").
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

export function failed(id: string, indication: Exclude<Indication, "TOTAL_PASSED">, subIndication: SubIndication, detail: string): Check {
  return { id, status: "FAILED", detail, indication, subIndication };
}

/**
 * The verdict: any TOTAL_FAILED check wins (crypto or format proven wrong), otherwise the first
 * INDETERMINATE one in check order, otherwise TOTAL_PASSED.
 */
export function conclude(checks: readonly Check[]): { indication: Indication; subIndication?: SubIndication } {
  let firstIndeterminate: Check | undefined;
  for (const c of checks) {
    if (c.status !== "FAILED") continue;
    if (c.indication === "TOTAL_FAILED") return { indication: "TOTAL_FAILED", subIndication: c.subIndication! };
    firstIndeterminate ??= c;
  }
  return firstIndeterminate
    ? { indication: "INDETERMINATE", subIndication: firstIndeterminate.subIndication! }
    : { indication: "TOTAL_PASSED" };
}
