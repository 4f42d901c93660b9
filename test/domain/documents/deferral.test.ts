import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { EmergencyWindow } from "../../../src/domain/calendar/index.ts";
import type { ContributionRow, DocumentOf } from "../../../src/domain/documents/index.ts";
import { BROKEN_DIR, loadJson } from "./fixtures.ts";
import { problemLines } from "./records.ts";

/**
 * The example record with 2020 split at the epidemic window: row 23 is 2020-01…06, marked emergencyDeferred
 * (人社厅明电〔2020〕7号), row 24 is 2020-07…12. Every other figure reconciles.
 */
const ROW = 23;
const at = (field?: string) => `/body/contributions/${ROW}${field ? `/${field}` : ""}`;
const CODES = [
  "EMERGENCY_DEFERRAL_NO_WINDOW",
  "EMERGENCY_DEFERRAL_UNDATED",
  "EMERGENCY_DEFERRAL_MAKE_UP",
  "EMERGENCY_DEFERRAL_LATE",
];

function deferred(edit: (row: ContributionRow) => void) {
  const doc = loadJson(resolve(BROKEN_DIR, "insurance-record.deferral-late.json")) as DocumentOf<"insurance-record">;
  const row = doc.body.contributions[ROW]!;
  expect(row.emergencyDeferred).toBe(true);
  edit(row);
  return doc;
}

const window = (region: string, from: string, to: string): EmergencyWindow => ({ region, from, to, reason: "疫情" });
const GUANGDONG = [window("440000", "2020-01-24", "2020-06-30")];

describe("emergency-deferred rows (人社厅明电〔2020〕7号)", () => {
  it("accepts a deferred row paid on the last day of the 3 months after the window", () => {
    const doc = deferred((r) => (r.paidOn = "2020-09-30"));
    expect(problemLines(doc, { emergencyWindows: GUANGDONG })).toEqual([]);
  });

  it("flags a row paid the day after (window end 2020-06-30 + 3 months = 2020-09-30)", () => {
    const doc = deferred((r) => (r.paidOn = "2020-10-01"));
    expect(problemLines(doc, { emergencyWindows: GUANGDONG, codes: CODES })).toEqual([
      `EMERGENCY_DEFERRAL_LATE ${at("paidOn")}`,
    ]);
  });

  it("ends 3 months after a window ending 11-30 on the last day of February (民法典 art 202)", () => {
    const windows = [window("440000", "2020-01-01", "2020-11-30")];
    expect(
      problemLines(
        deferred((r) => (r.paidOn = "2021-02-28")),
        { emergencyWindows: windows },
      ),
    ).toEqual([]);
    expect(
      problemLines(
        deferred((r) => (r.paidOn = "2021-03-01")),
        { emergencyWindows: windows },
      ),
    ).toEqual([`EMERGENCY_DEFERRAL_LATE ${at("paidOn")}`]);
  });

  it("takes the window of the row's 参保地: a prefecture's window covers its districts", () => {
    const doc = deferred((r) => (r.paidOn = "2020-09-01"));
    expect(problemLines(doc, { emergencyWindows: [window("440100", "2020-01-01", "2020-06-30")] })).toEqual([]);
    expect(problemLines(doc, { emergencyWindows: [window("330000", "2020-01-01", "2020-06-30")] })).toEqual([
      `EMERGENCY_DEFERRAL_NO_WINDOW ${at("emergencyDeferred")}`,
    ]);
  });

  it("flags a row whose months reach outside the window", () => {
    const doc = deferred((r) => (r.paidOn = "2020-09-01"));
    expect(problemLines(doc, { emergencyWindows: [window("440000", "2020-02-01", "2020-06-30")] })).toEqual([
      `EMERGENCY_DEFERRAL_NO_WINDOW ${at("emergencyDeferred")}`,
    ]);
  });

  it("cannot prove a deferral without declared windows", () => {
    const doc = deferred((r) => (r.paidOn = "2020-09-01"));
    expect(problemLines(doc)).toEqual([`EMERGENCY_DEFERRAL_NO_WINDOW ${at("emergencyDeferred")}`]);
  });

  it("flags a deferred row without paidOn, and one marked make-up (deferred months are normal months)", () => {
    const undated = deferred((r) => delete r.paidOn);
    expect(problemLines(undated, { emergencyWindows: GUANGDONG })).toEqual([`EMERGENCY_DEFERRAL_UNDATED ${at()}`]);
    const makeUp = deferred((r) => {
      r.paidOn = "2020-09-01";
      r.kind = "make-up";
    });
    expect(problemLines(makeUp, { emergencyWindows: GUANGDONG })).toEqual([`EMERGENCY_DEFERRAL_MAKE_UP ${at("kind")}`]);
  });

  it("flags a deferred row paid before its first month, and leaves an early paidOn on other rows alone", () => {
    const early = deferred((r) => (r.paidOn = `${Number(r.startMonth.slice(0, 4)) - 1}-12-31`));
    expect(problemLines(early, { emergencyWindows: GUANGDONG, codes: CODES })).toEqual([
      `EMERGENCY_DEFERRAL_UNDATED ${at("paidOn")}`,
    ]);
    const plain = deferred((r) => {
      r.emergencyDeferred = false;
      r.paidOn = `${Number(r.startMonth.slice(0, 4)) - 1}-12-31`;
    });
    expect(problemLines(plain, { codes: CODES })).toEqual([]);
  });

  it("leaves rows without the marker alone, paidOn or not", () => {
    const doc = deferred((r) => {
      r.emergencyDeferred = false;
      r.paidOn = "2023-01-01";
    });
    expect(problemLines(doc)).toEqual([]);
  });
});
