import { describe, expect, it } from "vitest";
import {
  formatFen,
  monthlyAmountRange,
  pooledFundRateBp,
  rowAmountRange,
  sumFen,
  sumRanges,
} from "../../../src/domain/money.ts";
import { pooledFundRange, type ContributionRow } from "../../../src/domain/documents/index.ts";
import { example } from "./fixtures.ts";
import { accountRecord, problemLines, row } from "./records.ts";

describe("money ranges: round-down … round-up of base × months × rate", () => {
  it.each([
    { base: 500_000, months: 12, rate: 1200, min: 720_000n, max: 720_000n }, // exact
    { base: 1, months: 12, rate: 1200, min: 1n, max: 2n }, // 1.44
    { base: 123_457, months: 7, rate: 1200, min: 103_703n, max: 103_704n }, // 103 703.88
    { base: 333_333, months: 3, rate: 1200, min: 119_999n, max: 120_000n }, // 119 999.88
    { base: 2_000_000_000_000, months: 12, rate: 1200, min: 2_880_000_000_000n, max: 2_880_000_000_000n },
  ])("row: $base × $months × $rate bp → $min … $max", ({ base, months, rate, min, max }) => {
    expect(rowAmountRange(base, months, rate)).toEqual({ min, max });
  });

  it("month: each month rounds, so the bounds are months × ⌊…⌋ and months × ⌈…⌉", () => {
    // 123 457 × 8 % = 9 876.56 a month.
    expect(monthlyAmountRange(123_457, 7, 800)).toEqual({ min: 69_132n, max: 69_139n });
    expect(monthlyAmountRange(500_000, 12, 800)).toEqual({ min: 480_000n, max: 480_000n });
  });

  it("sums fen exactly and refuses a sum outside the safe-integer range (a bug guard)", () => {
    expect(sumFen([9_007_199_254_740_000, 991])).toBe(9_007_199_254_740_991);
    expect(() => sumFen([9_007_199_254_740_000, 992])).toThrow(RangeError);
  });

  it("adds ranges bound by bound", () => {
    expect(
      sumRanges([
        { min: 1n, max: 2n },
        { min: 10n, max: 10n },
      ]),
    ).toEqual({ min: 11n, max: 12n });
    expect(sumRanges([])).toEqual({ min: 0n, max: 0n });
  });

  it.each([
    { type: "general", employer: 1400, rate: 1200 },
    { type: "general", employer: 1000, rate: 1200 },
    { type: "temporary", employer: 1400, rate: 1400 },
    { type: "temporary", employer: 1600, rate: 1600 },
    { type: "temporary", employer: 1200, rate: 1200 },
    { type: "temporary", employer: 1000, rate: 1200 },
  ] as const)("pooled rate of a $type account at employer $employer bp is $rate bp", ({ type, employer, rate }) => {
    expect(pooledFundRateBp(type, employer)).toBe(rate);
  });
});

const POOLED = ["POOLED_FUND_MISMATCH"];

/** A record with these rows and ⑤ (⑥ kept adding up); only ⑤ is asserted. */
function pooledLines(
  rows: ContributionRow[],
  pooledFundFen: number,
  accountType: "general" | "temporary" = "general",
  creditRounding?: "row" | "month",
) {
  const doc = accountRecord((d) => {
    d.body.contributions = rows;
    d.body.accountType = accountType;
    if (creditRounding) d.body.creditRounding = creditRounding;
    d.body.fund.pooledFundFen = pooledFundFen;
    d.body.fund.totalFen = d.body.fund.personalAccountFen + pooledFundFen;
  });
  return problemLines(doc, { codes: POOLED });
}

const plain = (year: number, start: string, end: string, months: number, base: number, employerRateBp = 1400) =>
  row(year, start, end, months, base, { employerRateBp }, [0], [0], [0]);

describe("POOLED_FUND_MISMATCH: Σ round-down ≤ ⑤ ≤ Σ round-up", () => {
  const flagged = ["POOLED_FUND_MISMATCH /body/fund/pooledFundFen"];

  describe("the 1997/1998 boundary", () => {
    const rows = [plain(1997, "07", "12", 6, 100_000), plain(1998, "01", "12", 12, 100_000)];
    it.each([
      { name: "1998 counted, 1997 not: 100 000 × 12 × 12 %", pooled: 144_000, ok: true },
      { name: "1997 wrongly counted too", pooled: 144_000 + 72_000, ok: false },
      { name: "one fen short", pooled: 143_999, ok: false },
      { name: "one fen over", pooled: 144_001, ok: false },
    ])("$name ($pooled fen) → ok=$ok", ({ pooled, ok }) => {
      expect(pooledLines(rows, pooled)).toEqual(ok ? [] : flagged);
    });

    it("only 1997 rows move no pooled fund", () => {
      expect(pooledLines([plain(1997, "01", "12", 12, 100_000)], 0)).toEqual([]);
      expect(pooledLines([plain(1997, "01", "12", 12, 100_000)], 1)).toEqual(flagged);
    });

    it("December 1997 + January 1998 counts January only (300 001 × 12 % = 36 000.12)", () => {
      const rows = [plain(1997, "12", "12", 1, 300_001), plain(1998, "01", "01", 1, 300_001)];
      expect(pooledLines(rows, 36_000)).toEqual([]);
      expect(pooledLines(rows, 36_001)).toEqual([]);
      expect(pooledLines(rows, 36_002)).toEqual(flagged);
    });
  });

  describe("partial-month years", () => {
    // 123 457 × 6 × 12 % = 88 889.04; 123 457 × 12 × 12 % = 177 778.08 → Σ 266 667 … 266 669.
    const rows = [plain(1998, "01", "06", 6, 123_457), plain(1999, "01", "12", 12, 123_457)];
    it.each([
      { pooled: 266_666, ok: false },
      { pooled: 266_667, ok: true },
      { pooled: 266_668, ok: true },
      { pooled: 266_669, ok: true },
      { pooled: 266_670, ok: false },
    ])("⑤ = $pooled → ok=$ok", ({ pooled, ok }) => {
      expect(pooledLines(rows, pooled)).toEqual(ok ? [] : flagged);
    });

    it("a half year 2024: 1 000 000 × 6 × 12 % = 720 000", () => {
      expect(pooledLines([plain(2024, "01", "06", 6, 1_000_000)], 720_000)).toEqual([]);
    });
  });

  describe('creditRounding "month": each month\'s 12 % rounds on its own', () => {
    // 300 004 × 12 % = 36 000.48 a month → 12 × 36 000 = 432 000 … 12 × 36 001 = 432 012;
    // rounded once for the row: 432 005.76 → 432 005 … 432 006.
    const rows = [plain(2020, "01", "12", 12, 300_004)];
    it.each([
      { pooled: 431_999, rounding: "month", ok: false },
      { pooled: 432_000, rounding: "month", ok: true },
      { pooled: 432_012, rounding: "month", ok: true },
      { pooled: 432_013, rounding: "month", ok: false },
      { pooled: 432_000, rounding: "row", ok: false },
      { pooled: 432_005, rounding: "row", ok: true },
      { pooled: 432_006, rounding: undefined, ok: true },
      { pooled: 432_007, rounding: undefined, ok: false },
    ] as const)("⑤ = $pooled with rounding $rounding → ok=$ok", ({ pooled, rounding, ok }) => {
      expect(pooledLines(rows, pooled, "general", rounding)).toEqual(ok ? [] : flagged);
    });
  });

  describe("temporary accounts (人社部发〔2009〕187号)", () => {
    const at14 = [plain(2020, "01", "12", 12, 500_000, 1400)];
    const at10 = [plain(2020, "01", "12", 12, 500_000, 1000)];
    it.each([
      { name: "14 % employer, moved at 14 % (500 000 × 12 × 14 %)", rows: at14, pooled: 840_000, ok: true },
      { name: "14 % employer, moved at 12 % (under-transfer)", rows: at14, pooled: 720_000, ok: false },
      { name: "10 % employer, moved at 12 %", rows: at10, pooled: 720_000, ok: true },
      { name: "10 % employer, moved at 10 %", rows: at10, pooled: 600_000, ok: false },
    ])("$name → ok=$ok", ({ rows, pooled, ok }) => {
      expect(pooledLines(rows, pooled, "temporary")).toEqual(ok ? [] : flagged);
    });

    it("moves the higher rate only on the sending province's rows (the temporary account is held there)", () => {
      // 浙江 2020: 500 000 × 12 × 12 % = 720 000; 广东 2021 at 14 %: 500 000 × 12 × 14 % = 840 000.
      const twoProvinces = [
        { ...plain(2020, "01", "12", 12, 500_000, 1400), divisionCode: "330106" },
        plain(2021, "01", "12", 12, 500_000, 1400),
      ];
      expect(pooledLines(twoProvinces, 1_560_000, "temporary")).toEqual([]);
      expect(pooledLines(twoProvinces, 1_680_000, "temporary")).toEqual(flagged); // both rows at 14 %
    });

    it("a general account moves 12 % even when the employer paid 14 %", () => {
      expect(pooledLines(at14, 720_000, "general")).toEqual([]);
      expect(pooledLines(at14, 840_000, "general")).toEqual(flagged);
    });
  });

  describe("the example record (27 rows from 1998, exact Σ 12 001 022.64)", () => {
    // Σ round-down 12 001 009, Σ round-up 12 001 035 (worked out row by row outside the code).
    const record = example("insurance-record");
    const withPooled = (pooled: number) => pooledLines(record.body.contributions, pooled);

    it("states ⑤ = 12 001 022, inside the range", () => {
      expect(pooledFundRange(record)).toEqual({ min: 12_001_009n, max: 12_001_035n });
      expect(record.body.fund.pooledFundFen).toBe(12_001_022);
    });

    it.each([
      { pooled: 12_001_009, ok: true },
      { pooled: 12_001_035, ok: true },
      { pooled: 12_001_008, ok: false },
      { pooled: 12_001_036, ok: false },
      { pooled: 12_001_022 + 27, ok: false }, // accepted by the old "1 fen per row" tolerance
    ])("⑤ = $pooled → ok=$ok", ({ pooled, ok }) => {
      expect(withPooled(pooled)).toEqual(ok ? [] : flagged);
    });
  });
});

describe("formatFen", () => {
  it.each([
    [0, "0.00 元"],
    [5, "0.05 元"],
    [123_456_789, "1,234,567.89 元"],
    [123_456_789n, "1,234,567.89 元"],
  ])("%s fen → %s", (fen, text) => expect(formatFen(fen)).toBe(text));
});
