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
  /** ⑤ differs from 12 % of the bases from 1998-01 on by more than 1 fen per row. */
  "POOLED_FUND_MISMATCH",
  /** A fund-transfer disagrees with the insurance-record of the same case. */
  "FUND_TRANSFER_MISMATCH",
  /** A contribution row is inconsistent in itself (end before start, months > span, wrong year). */
  "PERIOD_INVALID",
  /** Two contribution rows of one record cover the same month. */
  "PERIOD_OVERLAP",
  /** Contributions before the month the person turned 16. */
  "PERIOD_BEFORE_AGE_16",
  /** Contributions after the current month (Asia/Shanghai). */
  "PERIOD_IN_FUTURE",
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
