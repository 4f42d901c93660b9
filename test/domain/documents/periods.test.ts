import { describe, expect, it } from "vitest";
import { validateDocument, type ContributionRow, type Document } from "../../../src/domain/documents/index.ts";
import { NOW, edited } from "./fixtures.ts";

/** The example record with its rows edited and ⑤/⑥ left alone: only period codes are asserted. */
function periodCodes(doc: Document, now = NOW): string[] {
  return validateDocument(doc, { now })
    .problems.filter((p) => p.code.startsWith("PERIOD_"))
    .map((p) => `${p.code} ${p.path}`);
}

const withRows = (edit: (rows: ContributionRow[]) => void) =>
  edited("insurance-record", (doc) => edit(doc.body.contributions));

describe("PERIOD_INVALID", () => {
  it.each([
    {
      name: "end before start",
      edit: (r: ContributionRow) => Object.assign(r, { startMonth: "2005-06", endMonth: "2005-05", months: 1 }),
    },
    {
      name: "more months than the span",
      edit: (r: ContributionRow) => Object.assign(r, { startMonth: "2005-01", endMonth: "2005-03", months: 4 }),
    },
    {
      name: "a row crossing the year",
      edit: (r: ContributionRow) => Object.assign(r, { startMonth: "2005-07", endMonth: "2006-06", months: 12 }),
    },
    { name: "months outside the stated year", edit: (r: ContributionRow) => Object.assign(r, { year: 2004 }) },
  ])("flags $name", ({ edit }) => {
    const doc = withRows((rows) => edit(rows.find((r) => r.year === 2005)!));
    expect(periodCodes(doc)).toContainEqual(expect.stringMatching(/^PERIOD_INVALID \/body\/contributions\/\d+$/));
  });
});

describe("PERIOD_OVERLAP", () => {
  it("accepts adjacent segments inside one year", () => {
    const doc = withRows((rows) => {
      const i = rows.findIndex((r) => r.year === 2005);
      rows.splice(
        i,
        1,
        { ...rows[i]!, endMonth: "2005-06", months: 6 },
        { ...rows[i]!, startMonth: "2005-07", months: 6 },
      );
    });
    expect(periodCodes(doc)).toEqual([]);
  });

  it("flags a segment that repeats a paid month, pointing at the later row", () => {
    const doc = withRows((rows) => {
      const i = rows.findIndex((r) => r.year === 2005);
      rows.splice(
        i,
        1,
        { ...rows[i]!, endMonth: "2005-07", months: 7 },
        { ...rows[i]!, startMonth: "2005-07", months: 6 },
      );
    });
    expect(periodCodes(doc)).toEqual(["PERIOD_OVERLAP /body/contributions/9"]);
  });

  it("flags a duplicated year even when the rows are out of order", () => {
    const doc = withRows((rows) => rows.unshift({ ...rows.find((r) => r.year === 2010)!, kind: "make-up" }));
    expect(periodCodes(doc)).toHaveLength(1);
    expect(periodCodes(doc)[0]).toMatch(/^PERIOD_OVERLAP /);
  });
});

describe("PERIOD_BEFORE_AGE_16", () => {
  // The example person was born 1976-08-15: contributions may start 1992-08.
  it.each([
    { start: "1992-08", end: "1992-12", ok: true },
    { start: "1992-07", end: "1992-12", ok: false },
    { start: "1990-01", end: "1990-12", ok: false },
  ])("a row from $start is ok=$ok", ({ start, end, ok }) => {
    const months = Number(end.slice(5)) - Number(start.slice(5)) + 1;
    const year = Number(start.slice(0, 4));
    const doc = withRows((rows) => rows.unshift({ ...rows[0]!, year, startMonth: start, endMonth: end, months }));
    expect(periodCodes(doc)).toEqual(ok ? [] : ["PERIOD_BEFORE_AGE_16 /body/contributions/0/startMonth"]);
  });
});

describe("PERIOD_IN_FUTURE", () => {
  it("accepts the current month in Asia/Shanghai", () => {
    // 2024-08-31T16:30Z is already 1 September in Shanghai (the transfer dated then too).
    const doc = edited("insurance-record", (d) => {
      d.body.contributions.push({
        ...d.body.contributions.at(-1)!,
        startMonth: "2024-09",
        endMonth: "2024-09",
        months: 1,
      });
      d.body.transferDate = "2024-09-01";
    });
    expect(periodCodes(doc, new Date("2024-08-31T16:30:00Z"))).toEqual([]);
  });

  it("flags a row after the current month (once: not also as after the transfer)", () => {
    const doc = withRows((rows) =>
      rows.push({ ...rows.at(-1)!, startMonth: "2024-09", endMonth: "2024-09", months: 1 }),
    );
    expect(periodCodes(doc, new Date("2024-08-31T15:30:00Z"))).toEqual([
      "PERIOD_IN_FUTURE /body/contributions/28/endMonth",
    ]);
  });

  it("flags a local insured period ending in the future", () => {
    const doc = edited("insurance-record", (d) => (d.body.localPeriod.endMonth = "2030-01"));
    expect(periodCodes(doc)).toEqual(["PERIOD_IN_FUTURE /body/localPeriod/endMonth"]);
  });
});

describe("PERIOD_AFTER_TRANSFER", () => {
  const lateRow = (end: string) =>
    withRows((rows) => rows.push({ ...rows.at(-1)!, startMonth: "2024-08", endMonth: end, months: 1 }));

  it("accepts a row ending in the month of the transfer date (2024-08-05)", () => {
    expect(periodCodes(lateRow("2024-08"))).toEqual([]);
  });

  it("flags a row ending in the month after it", () => {
    expect(periodCodes(lateRow("2024-09"))).toEqual(["PERIOD_AFTER_TRANSFER /body/contributions/28/endMonth"]);
  });
});
