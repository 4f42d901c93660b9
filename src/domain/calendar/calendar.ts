import { type CalendarConfig, type EmergencyWindow, isRegion, regionApplies } from "./config.ts";
import { CalendarError } from "./errors.ts";
import { addDays, addMonths, dayOfWeek, parseLocalDate, type LocalDate } from "./local-date.ts";
import { isCovered, officialCoverage, officialHoliday, officialMakeUpWorkday, type Coverage } from "./official-data.ts";

/** Whether an answer rests on official notices or on the Mon–Fri rule past the data's end. */
export type CalendarCoverage = "official" | "extrapolated";

export type DayKind = "workday" | "makeup-workday" | "weekend" | "holiday" | "regional-holiday" | "emergency-window";

/** Everything the calendar knows about one date for one region. */
export interface DayInfo {
  date: LocalDate;
  working: boolean;
  kind: DayKind;
  /** zh-CN name of the holiday, make-up workday, regional holiday or emergency. */
  name?: string;
  calendarCoverage: CalendarCoverage;
}

export interface DueDate {
  due: LocalDate;
  calendarCoverage: CalendarCoverage;
}

/** `region`: the agency id or division code whose regional data applies; omitted = national only. */
export interface RegionOption {
  region?: string;
}

export interface Calendar {
  readonly coverage: Coverage;
  describeDay(date: LocalDate, options?: RegionOption): DayInfo;
  isWorkingDay(date: LocalDate, options?: RegionOption): boolean;
  addWorkingDays(from: LocalDate, n: number, options?: RegionOption): DueDate;
  windowsCovering(from: LocalDate, to: LocalDate, options?: RegionOption): EmergencyWindow[];
  /** Every declared emergency window, for rules that read them (emergency-deferred contribution rows). */
  readonly emergencyWindows: readonly EmergencyWindow[];
  makeUpDeadline(window: EmergencyWindow): DueDate;
  withEmergencyWindows(windows: readonly EmergencyWindow[]): Calendar;
}

// A bound on n keeps a typo (15000 for 15) from becoming a runaway loop; 10 000 WD ≈ 40 years.
const MAX_WORKING_DAYS = 10_000;
const MAKE_UP_MONTHS = 3; // 人社厅明电〔2020〕7号: 补办 within 3 months after the emergency ends

function checkRegion(options?: RegionOption): string | undefined {
  const region = options?.region;
  if (region !== undefined && !isRegion(region)) {
    throw new CalendarError(
      "CALENDAR_REGION_INVALID",
      `region must be a division code or agency id, got ${JSON.stringify(region)}`,
    );
  }
  return region;
}

function checkDays(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new CalendarError("CALENDAR_DAYS_INVALID", `working days must be an integer 0…${MAX_WORKING_DAYS}, got ${n}`);
  }
}

/** The national status of a date: official data inside coverage, Mon–Fri outside. */
function describeNationally(date: LocalDate): DayInfo {
  const weekend = dayOfWeek(date) === 0 || dayOfWeek(date) === 6;
  if (!isCovered(date)) {
    return { date, working: !weekend, kind: weekend ? "weekend" : "workday", calendarCoverage: "extrapolated" };
  }
  const holiday = officialHoliday(date);
  if (holiday !== undefined)
    return { date, working: false, kind: "holiday", name: holiday, calendarCoverage: "official" };
  const makeUp = officialMakeUpWorkday(date);
  if (makeUp !== undefined)
    return { date, working: true, kind: "makeup-workday", name: makeUp, calendarCoverage: "official" };
  return { date, working: !weekend, kind: weekend ? "weekend" : "workday", calendarCoverage: "official" };
}

/**
 * Builds a working-day calendar: chinese-days data plus the regional extra holidays and
 * emergency windows of `config`. Working day = Mon–Fri not a holiday, plus 调休 weekend
 * workdays, minus regional holidays, minus days inside an emergency window that pauses step clocks.
 */
export function createCalendar(config: CalendarConfig = {}): Calendar {
  const windows = [...(config.emergencyWindows ?? [])];
  const extraHolidays = [...(config.extraHolidays ?? [])];

  function describeDay(date: LocalDate, options?: RegionOption): DayInfo {
    parseLocalDate(date);
    const region = checkRegion(options);
    const national = describeNationally(date);
    if (region === undefined) return national;
    // A window that does not pause step clocks leaves the day as it is (it still defers contributions).
    const window = windows.find(
      (w) => w.pausesStepClocks !== false && regionApplies(w.region, region) && w.from <= date && date <= w.to,
    );
    if (window) return { ...national, working: false, kind: "emergency-window", name: window.reason };
    const extra = extraHolidays.find((h) => h.date === date && regionApplies(h.region, region));
    if (extra && national.working) return { ...national, working: false, kind: "regional-holiday", name: extra.name };
    return national;
  }

  /**
   * 民法典 art 201: the start day is not counted. Counting whole working days means the due
   * date is itself a working day, which is art 203 (a rest-day end moves to the next working
   * day); with n = 0 that rule alone applies.
   */
  // addWorkingDays is pure for a given calendar and runs on every case step (day by day): remember
  // recent answers, bounded. Invalid input throws before anything is stored.
  const memo = new Map<string, DueDate>();
  function addWorkingDays(from: LocalDate, n: number, options?: RegionOption): DueDate {
    const key = `${from}|${n}|${options?.region ?? ""}`;
    const known = memo.get(key);
    if (known) return { ...known };
    const answer = countWorkingDays(from, n, options);
    if (memo.size >= 4096) memo.clear();
    memo.set(key, answer);
    return { ...answer };
  }

  function countWorkingDays(from: LocalDate, n: number, options?: RegionOption): DueDate {
    parseLocalDate(from, "from");
    checkDays(n);
    let day = describeDay(from, options);
    let extrapolated = n === 0 && day.calendarCoverage === "extrapolated";
    let remaining = n === 0 && !day.working ? 1 : n;
    let date = from;
    while (remaining > 0) {
      date = addDays(date, 1);
      day = describeDay(date, options);
      if (day.calendarCoverage === "extrapolated") extrapolated = true;
      if (day.working) remaining -= 1;
    }
    return { due: date, calendarCoverage: extrapolated ? "extrapolated" : "official" };
  }

  function windowsCovering(from: LocalDate, to: LocalDate, options?: RegionOption): EmergencyWindow[] {
    parseLocalDate(from, "from");
    parseLocalDate(to, "to");
    const region = checkRegion(options);
    if (region === undefined) return [];
    return windows.filter((w) => regionApplies(w.region, region) && w.from <= to && from <= w.to);
  }

  /**
   * 3 months after the window ends (art 202), moved off a rest day in that region (art 203): the last day for
   * contributions deferred by the emergency to count as normal months. Not a deadline of the agencies' steps.
   */
  function makeUpDeadline(window: EmergencyWindow): DueDate {
    const end = addMonths(parseLocalDate(window.to, "window end"), MAKE_UP_MONTHS);
    return addWorkingDays(end, 0, { region: window.region });
  }

  const calendar: Calendar = {
    coverage: officialCoverage,
    describeDay,
    isWorkingDay: (date, options) => describeDay(date, options).working,
    addWorkingDays,
    windowsCovering,
    emergencyWindows: windows,
    makeUpDeadline,
    // No windows to add (the usual case): the same calendar, and its memo, serve.
    withEmergencyWindows: (more) =>
      more.length === 0 ? calendar : createCalendar({ extraHolidays, emergencyWindows: [...windows, ...more] }),
  };
  return calendar;
}
