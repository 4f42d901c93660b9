import { detectSealFormat, type VerificationReport } from "../../pki/index.ts";
import type { GatewayDeps } from "../deps.ts";
import { GatewayError } from "../errors.ts";

/**
 * Why a verified seal is still refused, or undefined when it is accepted: the verdict must be
 * TOTAL_PASSED (fail closed: INDETERMINATE is never a pass) and the sealing certificate must bind
 * the agency that claims to send the document (its `urn:jiexu:agency:` SAN, docs/business-flow.md "Identities").
 */
export function sealRejection(report: VerificationReport, expectedAgency: string): GatewayError | undefined {
  if (report.indication === "TOTAL_FAILED") {
    return new GatewayError("SEAL_INVALID", `seal verification failed: ${report.subIndication}`, { report });
  }
  // Anything but TOTAL_PASSED is refused, whatever indication a future verifier may add.
  if (report.indication !== "TOTAL_PASSED") {
    const code = report.subIndication === "TRY_LATER" ? "SEAL_TRY_LATER" : "SEAL_UNTRUSTED";
    return new GatewayError(code, `seal verification is not a pass: ${report.subIndication}`, { report });
  }
  if (!report.signer?.agencyIds.includes(expectedAgency)) {
    const bound = report.signer?.agencyIds.join(", ") || "none";
    return new GatewayError(
      "SEAL_AGENCY_MISMATCH",
      `the seal certificate binds agency ${bound}, not ${expectedAgency}`,
      { report },
    );
  }
  return undefined;
}

/**
 * The seal over a document said to come from `agencyId` must be in a format the directory lists for that
 * agency (CAdES unless it says otherwise; issue 16), verify (TOTAL_PASSED, fail closed) — an SES seal's
 * maker against the seal makers the directory lists for the agency, or the configured anchors —, bind that
 * agency, and be a certificate the directory lists for it at `at` (rollover: old and new overlap). Used for
 * every document sealed elsewhere: one arriving at /v1/exchange, a contribution voucher a person presents.
 */
export function verifySealFrom(
  deps: Pick<GatewayDeps, "agencies" | "metrics" | "verifier">,
  agencyId: string,
  canonical: Uint8Array,
  seal: Uint8Array,
  at: Date,
): VerificationReport {
  const profile = deps.agencies.sealProfile(agencyId);
  const format = detectSealFormat(seal);
  // Refused before any cryptography: the sender does not seal this way (a format it left, or never used). Bytes in
  // no known format are no seal at all: the verifier reports them (FORMAT_FAILURE, SEAL_INVALID) whatever is listed.
  if (profile && format !== "unknown" && !(profile.formats as readonly string[]).includes(format)) {
    throw new GatewayError(
      "SEAL_FORMAT_NOT_LISTED",
      `the seal is a ${format.toUpperCase()} seal; the directory lists ${profile.formats.join(", ")} for agency ${agencyId}`,
    );
  }
  const started = performance.now();
  const report = deps.verifier.verify(canonical, seal, at, "seal", profile?.makers);
  deps.metrics.observe("jiexu_seal_verify_seconds", {}, (performance.now() - started) / 1000);
  const rejection = sealRejection(report, agencyId);
  if (rejection) throw rejection;
  if (!deps.agencies.sealCertificateAccepted(agencyId, report.signer!.certificateSha256, at)) {
    throw new GatewayError(
      "SEAL_NOT_LISTED",
      `the seal certificate is not listed for agency ${agencyId} in the directory`,
      { report },
    );
  }
  return report;
}
