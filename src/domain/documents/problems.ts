/**
 * What validation reports. Validation never throws on bad input: every finding is a Problem with a
 * closed code, a JSON pointer (RFC 6901) into the checked value and a zh-CN message for agency staff.
 */
export const DOCUMENT_PROBLEM_CODES = [
  /** JSON Schema violation; the message names the ajv keyword. */
  "SCHEMA",
  /** 公民身份号码: format, province prefix, birth date or check digit (GB 11643). */
  "ID_NUMBER_INVALID",
  /** Warning: a legacy 15-digit (or lowercase-x) 公民身份号码. */
  "ID_NUMBER_LEGACY",
  /** Birth date or gender stated in the record disagree with the 公民身份号码. */
  "ID_NUMBER_MISMATCH",
  /** 统一社会信用代码: format or check character (GB 32100). */
  "USCC_INVALID",
  /** A division code that is not in the GB/T 2260 table. */
  "DIVISION_UNKNOWN",
  /** An agency id whose division code is not in the GB/T 2260 table. */
  "AGENCY_ID_INVALID",
  /** Sender and receiver in the same province: not a cross-province transfer. */
  "SAME_PROVINCE",
  /** ④ ≠ ① + ② + ③ or ⑥ ≠ ④ + ⑤. */
  "FUND_SUM_MISMATCH",
  /**
   * ⑤ outside Σ round-down … Σ round-up of base × months × rate over the rows from 1998-01 (66号 art 4: 12 %;
   * a temporary account the employer's rate when above 12 %, 人社部发〔2009〕187号).
   */
  "POOLED_FUND_MISMATCH",
  /** ① ≠ the personal balance at the end of 1997 (the last row before 1998; 0 without one). */
  "PRE_1998_BALANCE_MISMATCH",
  /** ② ≠ the balance at the end of the year before the transfer year minus ①. */
  "CARRIED_BALANCE_MISMATCH",
  /** ③ ≠ the credits of the rows in the transfer year. */
  "CURRENT_YEAR_PRINCIPAL_MISMATCH",
  /** A row of the transfer year carries interest: interest runs to the previous year-end only. */
  "CURRENT_YEAR_INTEREST",
  /** ④ (or a voucher's 个人账户储存额) ≠ the last row's balance. */
  "ACCOUNT_BALANCE_MISMATCH",
  /** A row's balance ≠ the previous row's balance + its credit + its interest (total or personal part). */
  "BALANCE_CHAIN_BROKEN",
  /** A row's credit (total or personal part) is not base × months × rate within the declared rounding. */
  "CREDIT_MISMATCH",
  /** paidMonths ≠ the months of the rows in the sending (issuing) province. */
  "PAID_MONTHS_MISMATCH",
  /** localPeriod / insuredPeriod ≠ the first start and last end of the rows in the sending province. */
  "LOCAL_PERIOD_MISMATCH",
  /** An emergency-deferred row whose months no declared emergency window of its region covers. */
  "EMERGENCY_DEFERRAL_NO_WINDOW",
  /** An emergency-deferred row without the date it was paid (paidOn), or paid before its first month. */
  "EMERGENCY_DEFERRAL_UNDATED",
  /** An emergency-deferred row marked make-up: deferred months count as normal months, not 补缴. */
  "EMERGENCY_DEFERRAL_MAKE_UP",
  /** An emergency-deferred row paid later than 3 months after its window ended (人社厅明电〔2020〕7号). */
  "EMERGENCY_DEFERRAL_LATE",
  /** A fund-transfer disagrees with the insurance-record of the same case. */
  "FUND_TRANSFER_MISMATCH",
  /** A fund-transfer's payee account ≠ the receiving account of the case's contact letter. */
  "PAYEE_MISMATCH",
  /** completion.receivedTotalFen ≠ the totalFen of the fund transfer it names. */
  "RECEIVED_TOTAL_MISMATCH",
  /** A document id that names no document of the required type in the case (or a superseded one). */
  "REFERENCE_NOT_IN_CASE",
  /** The person's name or 公民身份号码 differs from the other documents of the case. */
  "PERSON_MISMATCH",
  /** A voucher's 社会保障号码 ≠ its 公民身份号码 (社会保险法 art 58). */
  "SOCIAL_SECURITY_NUMBER_MISMATCH",
  /** A voucher not standing alone: its `to` must be its `from` and its `caseId` its `id`. */
  "VOUCHER_NOT_STANDALONE",
  /** A voucher's issuing agency is not in the province of the agency that issues (seals) it. */
  "VOUCHER_ISSUER_MISMATCH",
  /** A contribution row is inconsistent in itself (end before start, months > span, wrong year). */
  "PERIOD_INVALID",
  /** Two contribution rows of one record cover the same month. */
  "PERIOD_OVERLAP",
  /** Contributions before the month the person turned 16. */
  "PERIOD_BEFORE_AGE_16",
  /** Contributions after the current month (Asia/Shanghai). */
  "PERIOD_IN_FUTURE",
  /** A record's contribution row ends after the month of its transfer date. */
  "PERIOD_AFTER_TRANSFER",
] as const;

export type DocumentProblemCode = (typeof DOCUMENT_PROBLEM_CODES)[number];

export type Severity = "error" | "warning";

export interface Problem {
  code: DocumentProblemCode;
  /** JSON pointer into the checked value ("" = the whole value). */
  path: string;
  message: string;
  severity: Severity;
}

export interface ValidationResult {
  /** True when no problem has severity "error" (warnings do not invalidate). */
  valid: boolean;
  problems: Problem[];
}

/** An error-severity problem. */
export function problem(code: DocumentProblemCode, path: string, message: string): Problem {
  return { code, path, message, severity: "error" };
}

export function warning(code: DocumentProblemCode, path: string, message: string): Problem {
  return { code, path, message, severity: "warning" };
}

/** RFC 6901 pointer from segments: "~" → "~0", "/" → "~1". */
export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => "/" + String(s).replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

export function toResult(problems: Problem[]): ValidationResult {
  return { valid: problems.every((p) => p.severity !== "error"), problems };
}
