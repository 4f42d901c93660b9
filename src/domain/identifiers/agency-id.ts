import { lookupDivision, type Division } from "./divisions.ts";

/**
 * Agency ids (docs/business-flow.md "Identities"): the 6-digit GB/T 2260 code of the agency's region, optionally
 * `-SUFFIX` (`440000`, `440100`, `650000-BT`). The division must exist in the table.
 */
export const AGENCY_ID_PATTERN = /^(\d{6})(?:-([A-Z0-9]{1,8}))?$/;

export type AgencyIdVerdict =
  | { ok: true; divisionCode: string; suffix?: string; division: Division; provinceCode: string }
  | { ok: false; reason: "format" | "division-unknown"; message: string };

export function checkAgencyId(value: string): AgencyIdVerdict {
  const match = AGENCY_ID_PATTERN.exec(value);
  if (!match) {
    return { ok: false, reason: "format", message: `机构标识“${value}”格式不正确，应为 6 位行政区划代码，可带“-后缀”` };
  }
  const divisionCode = match[1]!;
  const division = lookupDivision(divisionCode);
  if (!division) {
    return {
      ok: false,
      reason: "division-unknown",
      message: `机构标识“${value}”中的行政区划代码 ${divisionCode} 不存在`,
    };
  }
  const verdict = { ok: true as const, divisionCode, division, provinceCode: division.provinceCode };
  return match[2] === undefined ? verdict : { ...verdict, suffix: match[2] };
}

/** The province code of an agency id ("650000-BT" → "650000"), without checking the table. */
export function agencyProvince(agencyId: string): string {
  return `${agencyId.slice(0, 2)}0000`;
}
