import data from "chinese-days/dist/chinese-days.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import {
  addMonths,
  CalendarError,
  createCalendar,
  isLocalDate,
  officialCoverage,
  parseCalendarConfig,
  toShanghaiDate,
} from "../../../src/domain/calendar/index.ts";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CalendarError) return err.code;
    throw err;
  }
  return undefined;
}

describe("toShanghaiDate", () => {
  it("is UTC+8: 16:00Z is already the next day in Shanghai", () => {
    expect(toShanghaiDate(new Date("2025-09-30T16:00:00Z"))).toBe("2025-10-01");
    expect(toShanghaiDate(new Date("2025-09-30T15:59:59.999Z"))).toBe("2025-09-30");
  });

  it("rejects an invalid Date with CALENDAR_DATE_INVALID", () => {
    expect(codeOf(() => toShanghaiDate(new Date("nope")))).toBe("CALENDAR_DATE_INVALID");
  });
});

describe("isLocalDate", () => {
  it.each([
    ["2024-02-29", true],
    ["2025-02-29", false],
    ["2025-13-01", false],
    ["2025-1-01", false],
    [20250101, false],
  ])("%s → %s", (value, expected) => {
    expect(isLocalDate(value)).toBe(expected);
  });
});

describe("addMonths (民法典 art 202)", () => {
  it.each([
    ["2025-06-27", 3, "2025-09-27"],
    ["2025-11-30", 3, "2026-02-28"],
    ["2023-11-30", 3, "2024-02-29"],
    ["2025-12-31", 2, "2026-02-28"],
  ])("%s + %i months = %s", (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });
});

describe("officialCoverage", () => {
  it("runs from the first to the last year present in the chinese-days data", () => {
    const years = Object.keys(data.holidays)
      .map((d) => d.slice(0, 4))
      .sort();
    expect(officialCoverage).toEqual({ from: `${years[0]}-01-01`, to: `${years.at(-1)}-12-31` });
  });
});

describe("when an argument is invalid", () => {
  const calendar = createCalendar();

  it.each([
    ["a non-date start", () => calendar.addWorkingDays("2025-02-30", 1), "CALENDAR_DATE_INVALID"],
    ["negative days", () => calendar.addWorkingDays("2025-02-03", -1), "CALENDAR_DAYS_INVALID"],
    ["fractional days", () => calendar.addWorkingDays("2025-02-03", 1.5), "CALENDAR_DAYS_INVALID"],
    ["absurd days", () => calendar.addWorkingDays("2025-02-03", 10_001), "CALENDAR_DAYS_INVALID"],
  ])("%s throws %s", (_what, fn, code) => {
    expect(codeOf(fn)).toBe(code);
  });
});

describe("parseCalendarConfig", () => {
  it("accepts windows and extra holidays", () => {
    const raw = {
      emergencyWindows: [{ region: "420000", from: "2020-01-23", to: "2020-04-08", reason: "新冠肺炎疫情" }],
      extraHolidays: [{ region: "540000", date: "2025-02-28", name: "藏历新年" }],
    };
    expect(parseCalendarConfig(raw)).toEqual(raw);
  });

  it("reports every problem with a pointer under CALENDAR_CONFIG_INVALID", () => {
    const raw = { emergencyWindows: [{ region: "42", from: "2020-04-08", to: "2020-01-23", reason: "" }], extra: 1 };
    try {
      parseCalendarConfig(raw);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CalendarError);
      expect((err as CalendarError).code).toBe("CALENDAR_CONFIG_INVALID");
      const paths = ((err as CalendarError).details as { problems: { path: string }[] }).problems.map((p) => p.path);
      expect(paths.sort()).toEqual([
        "/emergencyWindows/0/reason",
        "/emergencyWindows/0/region",
        "/emergencyWindows/0/to",
        "/extra",
      ]);
    }
  });

  it("rejects a non-object", () => {
    expect(codeOf(() => parseCalendarConfig([]))).toBe("CALENDAR_CONFIG_INVALID");
  });
});
