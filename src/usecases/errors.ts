import { CodedError } from "../domain/errors.ts";
import type { Problem } from "../domain/documents/index.ts";
import type { VerificationReport } from "../pki/index.ts";

/**
 * Refusals the gateway's use cases make. The HTTP edge maps each code to a status once
 * (src/http/errors.ts); CLI and tests assert codes, never message text.
 */
export type GatewayErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CASE_NOT_FOUND"
  | "DOCUMENT_NOT_FOUND"
  | "DELIVERY_NOT_FOUND"
  | "BODY_TOO_LARGE"
  | "JSON_INVALID"
  | "REQUEST_INVALID"
  | "DOCUMENT_INVALID"
  | "TYPE_NOT_SUBMITTABLE"
  | "SEAL_INVALID"
  | "SEAL_UNTRUSTED"
  | "SEAL_TRY_LATER"
  | "SEAL_AGENCY_MISMATCH"
  | "RECIPIENT_UNKNOWN"
  | "DIRECTORY_EXPIRED"
  | "DIRECTORY_MISSING"
  | "SEAL_NOT_LISTED"
  // The seal is in a format (CAdES, GB/T 38540 SES) the directory does not list for its sender (issue 16).
  | "SEAL_FORMAT_NOT_LISTED"
  | "RECIPIENT_NOT_HOSTED"
  | "DOCUMENT_CONFLICT"
  | "CASE_CONFLICT"
  | "WRONG_PARTY"
  | "NOT_ACKNOWLEDGEABLE"
  | "ALREADY_ACKNOWLEDGED"
  | "DIGEST_MISMATCH"
  // The contribution voucher (issue 11 item 1): not this agency's, not a voucher, sealed by another agency
  // than the case's transfer-out agency, for another person; a case document naming another voucher.
  | "VOUCHER_NOT_FOUND"
  | "VOUCHER_INVALID"
  | "VOUCHER_WRONG_ISSUER"
  | "VOUCHER_PERSON_MISMATCH"
  | "VOUCHER_MISMATCH"
  // Cross-witnessing (issue 9 item 2): an origin no peer gateway lists, a key the directory does not pin.
  | "WITNESS_ORIGIN_UNKNOWN"
  | "WITNESS_KEY_UNPINNED"
  | "RATE_LIMITED"
  // Printed copies (issue 13): a PDF that carries no sealed original; a character the print font lacks.
  | "PDF_NO_SEALED_ORIGINAL"
  | "PRINT_GLYPH_MISSING"
  | "PRINT_UNAVAILABLE"
  // Untrusted uploads past what may be inflated (review 13a): a ZIP or PDF that would expand too far.
  | "EVIDENCE_PACK_TOO_LARGE"
  | "PDF_TOO_LARGE";

export class GatewayError extends CodedError<GatewayErrorCode> {
  readonly problems?: Problem[];
  readonly report?: VerificationReport;

  constructor(
    code: GatewayErrorCode,
    message: string,
    extra: { problems?: Problem[]; report?: VerificationReport; cause?: unknown } = {},
  ) {
    super(code, message, extra.cause === undefined ? undefined : { cause: extra.cause });
    if (extra.problems) this.problems = extra.problems;
    if (extra.report) this.report = extra.report;
  }
}
