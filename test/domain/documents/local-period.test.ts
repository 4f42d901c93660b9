import { describe, expect, it } from "vitest";
import { edited } from "./fixtures.ts";
import { accountRecord, problemLines, row } from "./records.ts";

const codes = ["PAID_MONTHS_MISMATCH", "LOCAL_PERIOD_MISMATCH"];

describe("paidMonths and localPeriod agree with the rows of the sending province", () => {
  it("counts 6 + 12 + 12 + 6 = 36 months from 1997-07 to 2024-06", () => {
    expect(problemLines(accountRecord(), { codes })).toEqual([]);
  });

  it.each([35, 37, 0])("flags paidMonths = %i", (paidMonths) => {
    const doc = accountRecord((d) => (d.body.paidMonths = paidMonths));
    expect(problemLines(doc, { codes })).toEqual(["PAID_MONTHS_MISMATCH /body/paidMonths"]);
  });

  it("counts paid months, not the span, in a year with gaps (10 of 12)", () => {
    const doc = accountRecord((d) => {
      d.body.contributions[2]!.months = 10;
      d.body.paidMonths = 34;
    });
    expect(problemLines(doc, { codes })).toEqual([]);
  });

  it("leaves out rows of another province (an earlier place of insurance listed on the record)", () => {
    const doc = accountRecord((d) => {
      const zhejiang = { ...row(2010, "01", "12", 12, 100_000, {}, [0], [0], [0]), divisionCode: "330106" };
      d.body.contributions.splice(2, 0, zhejiang);
    });
    expect(problemLines(doc, { codes })).toEqual([]);
    const counted = accountRecord((d) => {
      d.body.contributions.unshift({ ...row(1996, "01", "12", 12, 50_000, {}, [0], [0], [0]), divisionCode: "330106" });
      d.body.paidMonths = 48;
      d.body.localPeriod.startMonth = "1996-01";
    });
    expect(problemLines(counted, { codes })).toEqual([
      "PAID_MONTHS_MISMATCH /body/paidMonths",
      "LOCAL_PERIOD_MISMATCH /body/localPeriod/startMonth",
    ]);
  });

  it.each([
    { field: "startMonth", value: "1997-01" },
    { field: "startMonth", value: "1998-01" },
    { field: "endMonth", value: "2024-07" },
    { field: "endMonth", value: "2023-12" },
  ] as const)("flags localPeriod.$field = $value", ({ field, value }) => {
    const doc = accountRecord((d) => (d.body.localPeriod[field] = value));
    expect(problemLines(doc, { codes })).toEqual([`LOCAL_PERIOD_MISMATCH /body/localPeriod/${field}`]);
  });

  it("checks the example record: 324 months from 1997-07 to 2024-06 in 广东", () => {
    expect(
      problemLines(
        edited("insurance-record", () => {}),
        { codes },
      ),
    ).toEqual([]);
  });
});
