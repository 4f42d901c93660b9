import { CalendarError } from "./errors.ts";

/**
 * A civil date `YYYY-MM-DD` with no time and no zone. Deadlines are counted in whole days
 * (民法典 arts 200–204), so the domain works on these strings and converts instants once,
 * at the edge of a command, with {@link toShanghaiDate}.
 */
export type LocalDate = string;

const DAY_MS = 86_400_000;
// China Standard Time is UTC+8 all year: no daylight saving since 1991, so a fixed offset is exact.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in `YYYY-MM-DD` form (rejects 2025-02-30). */
export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== "string") return false;
  const match = PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

/** Returns `value` as a LocalDate or throws `CALENDAR_DATE_INVALID`. */
export function parseLocalDate(value: unknown, what = "date"): LocalDate {
  if (!isLocalDate(value)) {
    throw new CalendarError(
      "CALENDAR_DATE_INVALID",
      `${what} must be a real date YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** The Asia/Shanghai civil date of an instant. */
export function toShanghaiDate(instant: Date): LocalDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new CalendarError("CALENDAR_DATE_INVALID", "instant is not a valid Date");
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function toEpochDay(date: LocalDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

function fromEpochDay(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `date` plus `n` calendar days (n may be negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  return fromEpochDay(toEpochDay(date) + n);
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toEpochDay(date) * DAY_MS).getUTCDay();
}

/**
 * `date` plus `n` months. 民法典 art 202: a period in months ends on the corresponding day of
 * the last month, or on that month's last day when it has no such day (11-30 + 3 → 02-28).
 */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const d = Number(date.slice(8, 10));
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(d, lastDay))).toISOString().slice(0, 10);
}

/** The later of two dates (ISO strings compare chronologically). */
export function laterOf(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}
