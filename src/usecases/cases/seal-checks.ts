import type { VerificationReport } from "../../pki/index.ts";
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
  if (report.indication === "INDETERMINATE") {
    const code = report.subIndication === "TRY_LATER" ? "SEAL_TRY_LATER" : "SEAL_UNTRUSTED";
    return new GatewayError(code, `seal verification is indeterminate: ${report.subIndication}`, { report });
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
