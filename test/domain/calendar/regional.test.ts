import { describe, expect, it } from "vitest";
import {
  CalendarError,
  createCalendar,
  parseCalendarConfig,
  regionApplies,
  type EmergencyWindow,
} from "../../../src/domain/calendar/index.ts";

const hubeiFlood: EmergencyWindow = { region: "420000", from: "2025-06-16", to: "2025-06-27", reason: "防汛应急" };
const calendar = createCalendar({
  emergencyWindows: [hubeiFlood],
  extraHolidays: [{ region: "650000", date: "2025-06-06", name: "古尔邦节" }],
});

describe("regionApplies", () => {
  it.each([
    ["440000", "440000", true],
    ["440000", "440100", true],
    ["440000", "440000-BT", true],
    ["440000", "440305", true],
    ["440000", "450000", false],
    ["440100", "440106", true],
    ["440100", "440300", false],
    ["440106", "440106", true],
    ["440106", "440105", false],
    ["650000-BT", "650000-BT", true],
    ["650000-BT", "650000", false],
  ])("a rule for %s applies to %s: %s", (rule, agency, expected) => {
    expect(regionApplies(rule, agency)).toBe(expected);
  });
});

describe("an emergency window in the middle of a step", () => {
  it("pauses the clock for agencies in the region", () => {
    // Jun 10–13 (4); 16–27 paused; Jun 30 (5), Jul 1–4 (9), Jul 7–11 (14), Jul 14 (15)
    expect(calendar.addWorkingDays("2025-06-09", 15, { region: "420100" }).due).toBe("2025-07-14");
  });

  it("leaves other regions' clocks running", () => {
    expect(calendar.addWorkingDays("2025-06-09", 15, { region: "440100" }).due).toBe("2025-06-30");
  });

  it("does not apply without a region", () => {
    expect(calendar.addWorkingDays("2025-06-09", 15).due).toBe("2025-06-30");
  });

  it("marks days inside it as not working", () => {
    expect(calendar.describeDay("2025-06-18", { region: "420000" })).toMatchObject({
      working: false,
      kind: "emergency-window",
      name: "防汛应急",
    });
  });

  it("is found by windowsCovering for an overlapping span only", () => {
    expect(calendar.windowsCovering("2025-06-10", "2025-06-16", { region: "420100" })).toEqual([hubeiFlood]);
    expect(calendar.windowsCovering("2025-06-28", "2025-07-10", { region: "420100" })).toEqual([]);
    expect(calendar.windowsCovering("2025-06-10", "2025-06-20", { region: "440100" })).toEqual([]);
  });

  it("can be added later with withEmergencyWindows", () => {
    const plain = createCalendar();
    expect(plain.withEmergencyWindows([hubeiFlood]).addWorkingDays("2025-06-09", 15, { region: "420000" }).due).toBe(
      "2025-07-14",
    );
    expect(plain.addWorkingDays("2025-06-09", 15, { region: "420000" }).due).toBe("2025-06-30");
  });
});

describe("makeUpDeadline (人社厅明电〔2020〕7号: 3 months after the window)", () => {
  it("lands on the 调休 Sunday when 3 months ends on a Saturday", () => {
    // 2025-06-27 + 3 months = Sat 2025-09-27; Sun 09-28 is a make-up workday
    expect(calendar.makeUpDeadline(hubeiFlood)).toEqual({ due: "2025-09-28", calendarCoverage: "official" });
  });

  it("uses the month's last day when it has no corresponding day (民法典 art 202)", () => {
    const window = { ...hubeiFlood, from: "2025-11-01", to: "2025-11-30" };
    // 2026-02-28 is a Saturday but a 春节 make-up workday
    expect(calendar.makeUpDeadline(window).due).toBe("2026-02-28");
  });

  it("moves past a statutory holiday", () => {
    const window = { ...hubeiFlood, from: "2025-06-01", to: "2025-07-01" };
    expect(calendar.makeUpDeadline(window).due).toBe("2025-10-09");
  });
});

describe("a window set not to pause step clocks (pausesStepClocks: false)", () => {
  const notPausing = createCalendar({ emergencyWindows: [{ ...hubeiFlood, pausesStepClocks: false }] });

  it("leaves the clock running inside it", () => {
    expect(notPausing.addWorkingDays("2025-06-09", 15, { region: "420100" }).due).toBe("2025-06-30");
    expect(notPausing.describeDay("2025-06-18", { region: "420000" })).toMatchObject({
      working: true,
      kind: "workday",
    });
  });

  it("still exists for the contribution rule: covering spans and its make-up date", () => {
    expect(notPausing.windowsCovering("2025-06-10", "2025-06-16", { region: "420100" })).toHaveLength(1);
    expect(notPausing.makeUpDeadline({ ...hubeiFlood, pausesStepClocks: false }).due).toBe("2025-09-28");
  });

  it("is read from configuration as true or false", () => {
    const raw = {
      emergencyWindows: [
        { ...hubeiFlood, pausesStepClocks: false },
        { ...hubeiFlood, pausesStepClocks: true },
      ],
    };
    expect(parseCalendarConfig(raw).emergencyWindows).toEqual(raw.emergencyWindows);
  });

  it("a non-boolean setting is CALENDAR_CONFIG_INVALID at its pointer", () => {
    const raw = { emergencyWindows: [{ ...hubeiFlood, pausesStepClocks: "no" }] };
    try {
      parseCalendarConfig(raw);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: "CALENDAR_CONFIG_INVALID" });
      const problems = ((err as CalendarError).details as { problems: { path: string }[] }).problems;
      expect(problems.map((p) => p.path)).toEqual(["/emergencyWindows/0/pausesStepClocks"]);
    }
  });
});

describe("per-province extra holidays", () => {
  it("are rest days for agencies in the province", () => {
    expect(calendar.describeDay("2025-06-06", { region: "650100" })).toMatchObject({
      working: false,
      kind: "regional-holiday",
      name: "古尔邦节",
    });
    expect(calendar.isWorkingDay("2025-06-06", { region: "650000-BT" })).toBe(false);
  });

  it("are working days elsewhere and nationally", () => {
    expect(calendar.isWorkingDay("2025-06-06", { region: "440000" })).toBe(true);
    expect(calendar.isWorkingDay("2025-06-06")).toBe(true);
  });

  it("push a deadline by a day in the province", () => {
    expect(calendar.addWorkingDays("2025-06-05", 1, { region: "650000" }).due).toBe("2025-06-09");
    expect(calendar.addWorkingDays("2025-06-05", 1, { region: "440000" }).due).toBe("2025-06-06");
  });
});

describe("when a region is malformed", () => {
  it("throws CALENDAR_REGION_INVALID", () => {
    const attempt = () => calendar.isWorkingDay("2025-06-06", { region: "44" });
    expect(attempt).toThrow(CalendarError);
    expect(attempt).toThrow(expect.objectContaining({ code: "CALENDAR_REGION_INVALID" }));
  });
});
