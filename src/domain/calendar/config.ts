import { CalendarError } from "./errors.ts";
import { isLocalDate, type LocalDate } from "./local-date.ts";

/**
 * A declared emergency (e.g. the 2020 epidemic, 人社厅明电〔2020〕7号): contributions deferred by it
 * count as normal months when paid within 3 months after `to`, and — unless `pausesStepClocks` is
 * false — the agencies' step clocks in `region` pause from `from` to `to` inclusive.
 */
export interface EmergencyWindow {
  region: string;
  from: LocalDate;
  to: LocalDate;
  reason: string;
  /** Whether the agencies' step clocks pause inside the window (default true): a per-window decision. */
  pausesStepClocks?: boolean;
}

/** A regional rest day on top of the national ones (全国年节及纪念日放假办法 art 4: 少数民族聚居区). */
export interface ExtraHoliday {
  region: string;
  date: LocalDate;
  name: string;
}

/** Regional calendar data, loaded from configuration by the caller (never hard-coded here). */
export interface CalendarConfig {
  emergencyWindows?: readonly EmergencyWindow[];
  extraHolidays?: readonly ExtraHoliday[];
}

/** A GB/T 2260 division code, optionally with an agency suffix (docs/business-flow.md "Identities"). */
const REGION = /^\d{6}(-[A-Za-z0-9]+)?$/;

export function isRegion(value: unknown): value is string {
  return typeof value === "string" && REGION.test(value);
}

/**
 * Whether a rule declared for `ruleRegion` applies to `agencyId`. A province code (`440000`)
 * covers every agency in the province (`440100`, `440000-BT`), a prefecture code (`440100`)
 * its counties; a code with a suffix names exactly one agency.
 */
export function regionApplies(ruleRegion: string, agencyId: string): boolean {
  if (ruleRegion.includes("-")) return ruleRegion === agencyId;
  const code = agencyId.slice(0, 6);
  if (ruleRegion.endsWith("0000")) return code.startsWith(ruleRegion.slice(0, 2));
  if (ruleRegion.endsWith("00")) return code.startsWith(ruleRegion.slice(0, 4));
  return code === ruleRegion;
}

type Problem = { path: string; message: string };

function checkWindow(raw: unknown, path: string, problems: Problem[]): void {
  const w = (raw ?? {}) as Record<string, unknown>;
  if (!isRegion(w.region)) problems.push({ path: `${path}/region`, message: "must be a division code such as 440000" });
  if (!isLocalDate(w.from)) problems.push({ path: `${path}/from`, message: "must be a date YYYY-MM-DD" });
  if (!isLocalDate(w.to)) problems.push({ path: `${path}/to`, message: "must be a date YYYY-MM-DD" });
  else if (isLocalDate(w.from) && w.to < w.from)
    problems.push({ path: `${path}/to`, message: "must not precede from" });
  if (typeof w.reason !== "string" || w.reason === "")
    problems.push({ path: `${path}/reason`, message: "must be a non-empty string" });
  if (w.pausesStepClocks !== undefined && typeof w.pausesStepClocks !== "boolean")
    problems.push({ path: `${path}/pausesStepClocks`, message: "must be true or false" });
}

function checkHoliday(raw: unknown, path: string, problems: Problem[]): void {
  const h = (raw ?? {}) as Record<string, unknown>;
  if (!isRegion(h.region)) problems.push({ path: `${path}/region`, message: "must be a division code such as 650000" });
  if (!isLocalDate(h.date)) problems.push({ path: `${path}/date`, message: "must be a date YYYY-MM-DD" });
  if (typeof h.name !== "string" || h.name === "")
    problems.push({ path: `${path}/name`, message: "must be a non-empty string" });
}

function listAt(raw: Record<string, unknown>, key: string, problems: Problem[]): unknown[] {
  const value = raw[key];
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  problems.push({ path: `/${key}`, message: "must be an array" });
  return [];
}

/**
 * Validates configuration JSON into a CalendarConfig, or throws `CALENDAR_CONFIG_INVALID`
 * with every problem (JSON pointer + message) in `details.problems`.
 */
export function parseCalendarConfig(raw: unknown): CalendarConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new CalendarError("CALENDAR_CONFIG_INVALID", "calendar config must be a JSON object", {
      details: { problems: [] },
    });
  }
  const record = raw as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(record)) {
    if (key !== "emergencyWindows" && key !== "extraHolidays")
      problems.push({ path: `/${key}`, message: "unknown property" });
  }
  const windows = listAt(record, "emergencyWindows", problems);
  const holidays = listAt(record, "extraHolidays", problems);
  for (const [i, w] of windows.entries()) checkWindow(w, `/emergencyWindows/${i}`, problems);
  for (const [i, h] of holidays.entries()) checkHoliday(h, `/extraHolidays/${i}`, problems);
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.path} ${p.message}`).join("; ");
    throw new CalendarError("CALENDAR_CONFIG_INVALID", `calendar config invalid: ${summary}`, {
      details: { problems },
    });
  }
  return { emergencyWindows: windows as EmergencyWindow[], extraHolidays: holidays as ExtraHoliday[] };
}
