import { isIdNumberProvincePrefix } from "./divisions.ts";

/**
 * 公民身份号码 (GB 11643-1999, docs/references.md "Identifiers"): 6 address + 8 birth date YYYYMMDD + 3 sequence
 * (odd ♂, even ♀) + 1 check character (ISO 7064 MOD 11-2). 社会保障号码 is the same number.
 * Legacy 15-digit numbers (YYMMDD, no check character) still occur in old records: accepted with a warning.
 */
export type Gender = "male" | "female";

export type IdNumberFailure = "format" | "province" | "birth-date" | "check-digit";

export type IdNumberVerdict =
  | {
      ok: true;
      /** The 18-character form (a 15-digit number is upgraded). */
      normalized: string;
      provinceCode: string;
      birthDate: string;
      gender: Gender;
      legacy: boolean;
      warning?: string;
    }
  | { ok: false; reason: IdNumberFailure; message: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

/** The MOD 11-2 check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return CHECK_CHARS[sum % 11]!;
}

/** A 15-digit number in its 18-digit form: insert the century "19" and append the check character. */
export function upgradeIdNumber(legacy15: string): string {
  const first17 = `${legacy15.slice(0, 6)}19${legacy15.slice(6)}`;
  return first17 + idNumberCheckChar(first17);
}

/**
 * Whether two 公民身份号码 name the same person: a lowercase x and a legacy 15-digit number compare in their
 * 18-digit upper-case form (GB 11643: the 15-digit number upgrades exactly).
 */
export function sameIdNumber(a: string, b: string): boolean {
  const canonical = (v: string) => (/^\d{15}$/.test(v) ? upgradeIdNumber(v) : v.toUpperCase());
  return canonical(a) === canonical(b);
}

/**
 * Check a 公民身份号码. `today` (YYYY-MM-DD, optional) rejects birth dates after it;
 * the domain has no clock, so the caller passes it.
 */
export function checkIdNumber(value: string, options: { today?: string } = {}): IdNumberVerdict {
  if (/^\d{15}$/.test(value)) return checkLegacy(value, options);
  if (!/^\d{17}[\dXx]$/.test(value)) {
    return fail("format", `公民身份号码“${value}”应为 18 位（前 17 位为数字，末位为数字或 X）`);
  }
  const normalized = value.toUpperCase();
  const base = checkBody(normalized.slice(0, 17), options);
  if (!base.ok) return base;
  const expected = idNumberCheckChar(normalized.slice(0, 17));
  if (normalized[17] !== expected) {
    return fail("check-digit", `公民身份号码“${value}”校验码错误（按 GB 11643 应为 ${expected}）`);
  }
  const lowercase = value !== normalized ? { warning: "校验码 x 应写作大写 X" } : {};
  return { ok: true, ...base.value, normalized, legacy: false, ...lowercase };
}

function checkLegacy(value: string, options: { today?: string }): IdNumberVerdict {
  const normalized = upgradeIdNumber(value);
  const base = checkBody(normalized.slice(0, 17), options);
  if (!base.ok) return base;
  const warning = `15 位旧身份号码，请更新为 18 位：${normalized}`;
  return { ok: true, ...base.value, normalized, legacy: true, warning };
}

type Body = { provinceCode: string; birthDate: string; gender: Gender };

/** Address prefix, birth date and sequence of the first 17 digits. */
function checkBody(
  first17: string,
  options: { today?: string },
): { ok: true; value: Body } | Extract<IdNumberVerdict, { ok: false }> {
  const prefix = first17.slice(0, 2);
  if (!isIdNumberProvincePrefix(prefix)) {
    return fail("province", `公民身份号码前两位 ${prefix} 不是已知的省级行政区划代码`);
  }
  const birthDate = `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`;
  if (
    !isRealDate(birthDate) ||
    birthDate < "1900-01-01" ||
    (options.today !== undefined && birthDate > options.today)
  ) {
    return fail("birth-date", `公民身份号码中的出生日期 ${birthDate} 不是有效日期`);
  }
  const gender: Gender = Number(first17[16]) % 2 === 1 ? "male" : "female";
  return { ok: true, value: { provinceCode: `${prefix}0000`, birthDate, gender } };
}

/** Whether YYYY-MM-DD names a day of the Gregorian calendar (UTC arithmetic, no clock). */
export function isRealDate(date: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

function fail(reason: IdNumberFailure, message: string): Extract<IdNumberVerdict, { ok: false }> {
  return { ok: false, reason, message };
}

/**
 * Mask for logs and public pages: keep the region (first 6) and the last 4, hide the birth date,
 * which together with the region narrows a person down. Anything else shows only its last 4.
 */
export function maskIdNumber(value: string): string {
  if (value.length === 18) return `${value.slice(0, 6)}********${value.slice(14)}`;
  if (value.length === 15) return `${value.slice(0, 6)}*****${value.slice(11)}`;
  return "*".repeat(Math.max(0, value.length - 4)) + value.slice(-4);
}

/** A person's name on public pages: the first and last characters stay (陈志强 → 陈*强, 王五 → 王*). */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${"*".repeat(chars.length - 2)}${chars.at(-1)}`;
}

/**
 * A run of digits (ASCII or full-width) that may be split by short whitespace gaps (spaces, tabs,
 * newlines, U+3000, zero-width spaces) and may end in the check character X. No boundary is
 * required on either side: `ID110105194912310029`, `…0029A` and `110105 19491231 0029` are runs.
 */
const DIGIT = "[0-9\\uFF10-\\uFF19]";
const GAP = "[\\s\\u200B-\\u200D\\uFEFF]{0,2}";
const DIGIT_RUN = new RegExp(`${DIGIT}(?:${GAP}${DIGIT})*(?:${GAP}[XxＸｘ])?`, "g");
const GAP_CHAR = /[\s\u200B-\u200D\uFEFF]/;

/**
 * Mask every run that could hold a 公民身份号码 (15 or more digits, or 17 digits and a check X) in
 * free text: logs and public pages never show a full ID number, whatever it is joined to or split
 * by. Over-masking other long numbers (and digit stretches of hex digests) is accepted;
 * under-masking is not.
 */
export function maskIdNumbersIn(text: string): string {
  // Most text (every access-log line, three per received document) holds no 15 digits in one run: a single
  // regex test says so without the replace and its callback per digit run (issue 12 item 1).
  return mayHoldIdNumber(text) ? maskDigitRuns(text) : text;
}

/** False when maskIdNumbersIn surely returns `text` unchanged (no 15 digits in one run); true when it may not. */
export function mayHoldIdNumber(text: string): boolean {
  return LONG_DIGIT_RUN.test(text);
}

/**
 * 15 digits joined by gaps as DIGIT_RUN joins them: a run masks only when it holds 15 digits (the check X does not
 * count), and such a run holds this. So where it does not occur, maskDigitRuns returns the text unchanged.
 */
const LONG_DIGIT_RUN = new RegExp(`${DIGIT}(?:${GAP}${DIGIT}){14}`);

/** maskIdNumbersIn without its pre-check (test/domain/identifiers/mask-fast-path.test.ts compares the two). */
export function maskDigitRuns(text: string): string {
  return text.replace(DIGIT_RUN, (run) => {
    if (run.length < 15) return run; // fewer characters than any ID number has digits (most runs: dates, counts)
    const compact = [...run].filter((ch) => !GAP_CHAR.test(ch)).join("");
    const digits = /[XxＸｘ]$/.test(compact) ? compact.length - 1 : compact.length;
    if (digits < 15) return run;
    // Put the masked characters back in place, so the gaps (and the text's length) stay as they were.
    const masked = [...maskIdNumber(compact)];
    return [...run].map((ch) => (GAP_CHAR.test(ch) ? ch : masked.shift()!)).join("");
  });
}

/** Whether free text holds anything `maskIdNumbersIn` would mask (such text is not echoed back). */
export function containsIdNumber(text: string): boolean {
  return maskIdNumbersIn(text) !== text;
}
