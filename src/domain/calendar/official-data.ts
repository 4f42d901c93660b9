// The statutory calendar is the `chinese-days` package data, never a hand-typed table (issue 3 item 5).
// Imported statically as JSON so Workers bundles need no fs. The package has no exports map,
// so the deep specifier resolves in tsc (Bundler), vitest and tsx alike.
import data from "chinese-days/dist/chinese-days.json" with { type: "json" };
import type { LocalDate } from "./local-date.ts";

/** The State Council holiday notices as published in chinese-days: date → "EnName,中文名,N". */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const table = data as ChineseDaysData;

/** The span of dates whose status comes from an official notice rather than the Mon–Fri rule. */
export interface Coverage {
  from: LocalDate;
  to: LocalDate;
}

/**
 * Coverage is computed from the data: each yearly notice covers its whole year, so the span runs
 * from 1 January of the first year to 31 December of the last year that has any entry.
 */
function computeCoverage(): Coverage {
  const years = [...Object.keys(table.holidays), ...Object.keys(table.workdays)].map((d) => Number(d.slice(0, 4)));
  return { from: `${Math.min(...years)}-01-01`, to: `${Math.max(...years)}-12-31` };
}

export const officialCoverage: Coverage = computeCoverage();

/** The zh-CN festival name of a statutory holiday or 调休 make-up workday. */
function zhName(entry: string): string {
  return entry.split(",")[1] ?? entry;
}

/** The statutory holiday on `date`, if any (zh-CN name). */
export function officialHoliday(date: LocalDate): string | undefined {
  const entry = table.holidays[date];
  return entry === undefined ? undefined : zhName(entry);
}

/** The festival a weekend 调休 make-up workday belongs to, if `date` is one. */
export function officialMakeUpWorkday(date: LocalDate): string | undefined {
  const entry = table.workdays[date];
  return entry === undefined ? undefined : zhName(entry);
}

/** True when `date` lies inside the span the official data covers. */
export function isCovered(date: LocalDate): boolean {
  return date >= officialCoverage.from && date <= officialCoverage.to;
}
