import { CodedError } from "../domain/errors.ts";
import type { AssessmentErrorCode } from "../domain/assessment/index.ts";
import type { CalendarErrorCode } from "../domain/calendar/index.ts";
import type { CaseErrorCode } from "../domain/transfer-case/index.ts";
import type { GatewayErrorCode, StoreErrorCode } from "../usecases/index.ts";

/** Every code an error body can carry. */
export type ErrorCode =
  | GatewayErrorCode
  | CaseErrorCode
  | StoreErrorCode
  | AssessmentErrorCode
  | CalendarErrorCode
  | "INTERNAL";

/**
 * The only code → HTTP status map (aesthetics rule 2). `Record` makes the compiler reject a code
 * family growing a member that has no status here.
 */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  WRONG_PARTY: 403,
  WITNESS_ORIGIN_UNKNOWN: 403,
  WITNESS_KEY_UNPINNED: 403,
  // Too many requests from one peer (or unknown callers together): come back after Retry-After.
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  DELIVERY_NOT_FOUND: 404,
  // The peer called the wrong gateway for this recipient: "not here" rather than "malformed".
  RECIPIENT_NOT_HOSTED: 404,
  BODY_TOO_LARGE: 413,
  JSON_INVALID: 400,
  REQUEST_INVALID: 400,
  INVALID_CURSOR: 400,
  DOCUMENT_INVALID: 422,
  TYPE_NOT_SUBMITTABLE: 422,
  SEAL_INVALID: 422,
  SEAL_UNTRUSTED: 422,
  SEAL_AGENCY_MISMATCH: 422,
  SEAL_NOT_LISTED: 422,
  SEAL_FORMAT_NOT_LISTED: 422,
  RECIPIENT_UNKNOWN: 422,
  ASSESSMENT_INPUT_INVALID: 422,
  CASE_COMMAND_INVALID: 422,
  CALENDAR_DATE_INVALID: 422,
  CALENDAR_DAYS_INVALID: 422,
  CALENDAR_REGION_INVALID: 422,
  DOCUMENT_CONFLICT: 409,
  CASE_CONFLICT: 409,
  VERSION_CONFLICT: 409,
  DUPLICATE_DOCUMENT: 409,
  ILLEGAL_TRANSITION: 409,
  CASE_CLOSED: 409,
  CASE_NOT_OPENED: 409,
  CASE_ALREADY_OPENED: 409,
  // Business receipts (issue 9 item 1): receipts are not acknowledged; a document is acknowledged once.
  NOT_ACKNOWLEDGEABLE: 409,
  ALREADY_ACKNOWLEDGED: 409,
  DIGEST_MISMATCH: 409,
  // Contribution vouchers (issue 11): an agency only sees its own; a presented voucher that cannot open this
  // case is unprocessable, and so is a case document naming another voucher than the case's.
  VOUCHER_NOT_FOUND: 404,
  PDF_NO_SEALED_ORIGINAL: 422,
  PRINT_GLYPH_MISSING: 422,
  PRINT_UNAVAILABLE: 503,
  EVIDENCE_PACK_TOO_LARGE: 413,
  // More than this gateway's store can hold in a row (a Worker without its R2 bucket): nothing was written.
  STORE_DOCUMENT_TOO_LARGE: 413,
  PDF_TOO_LARGE: 413,
  VOUCHER_INVALID: 422,
  VOUCHER_WRONG_ISSUER: 422,
  VOUCHER_PERSON_MISMATCH: 422,
  VOUCHER_MISMATCH: 422,
  // Revocation data unavailable or the store busy: the caller should come back, not give up.
  SEAL_TRY_LATER: 503,
  STORE_UNAVAILABLE: 503,
  // No current signed directory: sending waits for the operator, it is not the caller's mistake.
  DIRECTORY_EXPIRED: 503,
  DIRECTORY_MISSING: 503,
  // Misconfiguration of this gateway, never the caller's fault.
  CASE_POLICY_INVALID: 500,
  CALENDAR_CONFIG_INVALID: 500,
  // A stored document's bytes are gone from the blob store (R2): this gateway's fault, never an empty answer.
  STORE_BLOB_MISSING: 500,
  INTERNAL: 500,
};

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 30;

/** A problem found at the edge: where in the request (JSON pointer) and why. */
export interface EdgeProblem {
  code: string;
  path: string;
  message: string;
}

/** Refusals the HTTP edge itself makes before any use case runs (auth, size, JSON, query and body shape). */
export class EdgeError extends CodedError<
  Extract<
    ErrorCode,
    "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "BODY_TOO_LARGE" | "JSON_INVALID" | "REQUEST_INVALID"
  >
> {
  readonly problems?: EdgeProblem[];

  constructor(code: EdgeError["code"], message: string, problems?: EdgeProblem[]) {
    super(code, message);
    if (problems) this.problems = problems;
  }
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(STATUS_OF, code);
}

/** The status this map gives a code, or undefined for a code it does not know (a peer's, a transport's). */
export function statusOfCode(code: string): number | undefined {
  return isErrorCode(code) ? STATUS_OF[code] : undefined;
}

/** The coded error body every refusal carries: `{ code, message, requestId, problems?, report? }`. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  requestId: string;
  problems?: unknown[];
  report?: unknown;
}

/** Turn anything thrown into a status and body; `internal` tells the caller to log the stack. */
export function describeError(err: unknown, requestId: string): { status: number; body: ErrorBody; internal: boolean } {
  if (err instanceof CodedError && isErrorCode(err.code)) {
    const e = err as CodedError<ErrorCode> & { problems?: unknown[]; report?: unknown };
    // AssessmentError carries its problems in `details` ({ problems: [{ path, message }] }).
    const problems = e.problems ?? (e.details as { problems?: unknown[] } | undefined)?.problems;
    const body: ErrorBody = {
      code: e.code,
      message: e.message,
      requestId,
      ...(problems ? { problems } : {}),
      ...(e.report ? { report: e.report } : {}),
    };
    return { status: STATUS_OF[e.code], body, internal: STATUS_OF[e.code] === 500 };
  }
  return { status: 500, body: { code: "INTERNAL", message: "internal error", requestId }, internal: true };
}
