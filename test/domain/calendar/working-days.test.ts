import { isWorkday } from "chinese-days";
import { describe, expect, it } from "vitest";
import { addDays, createCalendar } from "../../../src/domain/calendar/index.ts";

const calendar = createCalendar();

describe("createCalendar().describeDay", () => {
  it.each([
    ["2025-01-26", true, "makeup-workday", "春节"], // Sunday 调休上班 before 春节 2025
    ["2025-01-28", false, "holiday", "春节"],
    ["2025-02-08", true, "makeup-workday", "春节"], // Saturday 调休上班 after 春节 2025
    ["2025-09-28", true, "makeup-workday", "国庆节"],
    ["2025-10-06", false, "holiday", "中秋"], // 中秋 falls inside the 2025 国庆 break
    ["2025-10-11", true, "makeup-workday", "国庆节"],
    ["2026-02-14", true, "makeup-workday", "春节"],
    ["2026-02-23", false, "holiday", "春节"], // a Monday, still 春节 in 2026
    ["2026-02-28", true, "makeup-workday", "春节"],
    ["2026-09-20", true, "makeup-workday", "国庆节"],
    ["2026-10-10", true, "makeup-workday", "国庆节"],
    ["2025-03-01", false, "weekend", undefined],
    ["2025-03-03", true, "workday", undefined],
  ])("%s is working=%s (%s %s)", (date, working, kind, name) => {
    const day = calendar.describeDay(date);
    expect(day).toMatchObject({ working, kind, calendarCoverage: "official" });
    expect(day.name).toBe(name);
  });

  it("agrees with chinese-days isWorkday on every day of 2024–2026", () => {
    const disagreements: string[] = [];
    for (let date = "2024-01-01"; date <= "2026-12-31"; date = addDays(date, 1)) {
      if (calendar.isWorkingDay(date) !== isWorkday(date)) disagreements.push(date);
    }
    expect(disagreements).toEqual([]);
  });
});

describe("addWorkingDays", () => {
  describe("when the step spans 春节 with 调休 weekends", () => {
    it("counts the make-up Sunday and Saturday and skips the holiday (2025)", () => {
      // Jan 21–24 (4), Sun 26 (5), Mon 27 (6), 28 Jan–4 Feb off, Feb 5–7 (9), Sat 8 (10), Feb 10–14 (15)
      expect(calendar.addWorkingDays("2025-01-20", 15)).toEqual({ due: "2025-02-14", calendarCoverage: "official" });
    });

    it("counts both make-up Saturdays around the nine-day break (2026)", () => {
      // Feb 9–13 (5), Sat 14 (6), 15–23 off, Feb 24–27 (10), Sat 28 (11), Mar 2–5 (15)
      expect(calendar.addWorkingDays("2026-02-06", 15)).toEqual({ due: "2026-03-05", calendarCoverage: "official" });
    });
  });

  describe("when the step spans 中秋 and 国庆", () => {
    it("counts the make-up days on both sides (2025)", () => {
      // Sun 28 Sep (1), 29–30 (3), Oct 1–8 off, 9–10 (5), Sat 11 (6), 13–17 (11), 20–23 (15)
      expect(calendar.addWorkingDays("2025-09-26", 15).due).toBe("2025-10-23");
    });

    it("counts the make-up days on both sides (2026)", () => {
      // Sun 20 Sep (1), 21–24 (5), 25 中秋, 28–30 (8), Oct 1–7 off, 8–9 (10), Sat 10 (11), 12–15 (15)
      expect(calendar.addWorkingDays("2026-09-18", 15).due).toBe("2026-10-15");
    });
  });

  describe("the start day (民法典 art 201)", () => {
    it("is not counted: one working day after a Monday is the Tuesday", () => {
      expect(calendar.addWorkingDays("2025-03-03", 1).due).toBe("2025-03-04");
    });

    it("is not counted even when it is a holiday", () => {
      expect(calendar.addWorkingDays("2025-10-01", 1).due).toBe("2025-10-09");
    });

    it("is not counted when it is a make-up workday", () => {
      expect(calendar.addWorkingDays("2025-09-28", 1).due).toBe("2025-09-29");
    });
  });

  describe("a deadline landing on a rest day (民法典 art 203)", () => {
    it("moves to the next working day", () => {
      expect(calendar.addWorkingDays("2025-10-01", 0).due).toBe("2025-10-09");
      expect(calendar.addWorkingDays("2025-03-08", 0).due).toBe("2025-03-10");
    });

    it("stays when it already is a working day", () => {
      expect(calendar.addWorkingDays("2025-03-07", 0).due).toBe("2025-03-07");
    });

    it("never lands on a weekend: Friday + 1 is Monday", () => {
      expect(calendar.addWorkingDays("2025-03-07", 1).due).toBe("2025-03-10");
    });
  });

  describe("beyond the data's coverage", () => {
    it("counts Mon–Fri and flags the result extrapolated (2027)", () => {
      // Dec 21–25 (5), 28–31 (9), Fri 1 Jan 2027 counted (no notice yet) (10), Jan 4–8 (15)
      expect(calendar.addWorkingDays("2026-12-20", 15)).toEqual({
        due: "2027-01-08",
        calendarCoverage: "extrapolated",
      });
    });

    it("flags a start before 2004 too", () => {
      expect(calendar.addWorkingDays("2003-12-01", 5).calendarCoverage).toBe("extrapolated");
    });

    it("stays official when the whole span is covered", () => {
      expect(calendar.addWorkingDays("2026-12-01", 5).calendarCoverage).toBe("official");
    });

    it("describes a 2027 day as extrapolated", () => {
      expect(calendar.describeDay("2027-01-01")).toMatchObject({ working: true, calendarCoverage: "extrapolated" });
      expect(calendar.describeDay("2027-01-02")).toMatchObject({
        working: false,
        kind: "weekend",
        calendarCoverage: "extrapolated",
      });
    });
  });
});
