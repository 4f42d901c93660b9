import { describe, expect, it } from "vitest";
import { divideRoundHalfUp, formatFen, pooledFundOfRow } from "../../../src/domain/money.ts";
import { expectedPooledFund, validateDocument, type ContributionRow } from "../../../src/domain/documents/index.ts";
import { NOW, edited, example } from "./fixtures.ts";

describe("pooledFundOfRow: round-half-up(base × months × 12 / 100) fen", () => {
  it.each([
    { base: 500_000, months: 12, fen: 720_000 },
    { base: 1, months: 12, fen: 1 }, // 1.44 → 1
    { base: 4, months: 1, fen: 0 }, // 0.48 → 0
    { base: 5, months: 1, fen: 1 }, // 0.60 → 1
    { base: 123_457, months: 7, fen: 103_704 }, // 103 703.88 → 103 704
    { base: 333_333, months: 3, fen: 120_000 }, // 119 999.88 → 120 000
    { base: 2_000_000_000_000, months: 12, fen: 2_880_000_000_000 }, // beyond 2^53 / 144 needs BigInt
  ])("base $base × $months months → $fen fen", ({ base, months, fen }) => {
    expect(pooledFundOfRow(base, months)).toBe(fen);
  });

  it("rounds exact halves up, never to even", () => {
    expect(divideRoundHalfUp(50n, 100n)).toBe(1n);
    expect(divideRoundHalfUp(150n, 100n)).toBe(2n);
    expect(divideRoundHalfUp(250n, 100n)).toBe(3n);
    expect(divideRoundHalfUp(249n, 100n)).toBe(2n);
  });
});

function row(year: number, start: string, end: string, months: number, base: number): ContributionRow {
  return {
    divisionCode: "440106",
    year,
    startMonth: `${year}-${start}`,
    endMonth: `${year}-${end}`,
    months,
    monthlyBaseFen: base,
    employerRateBp: 1400,
    accountRateBp: 800,
    personalRateBp: 800,
    creditedFen: 0,
    interestFen: 0,
    balanceFen: 0,
    kind: "normal",
  };
}

/** The example record with the given rows and ⑤ (④ kept, ⑥ made to add up). */
function recordWith(rows: ContributionRow[], pooledFundFen: number) {
  return edited("insurance-record", (doc) => {
    doc.body.contributions = rows;
    doc.body.fund.pooledFundFen = pooledFundFen;
    doc.body.fund.totalFen = doc.body.fund.personalAccountFen + pooledFundFen;
  });
}

describe("POOLED_FUND_MISMATCH across the 1997/1998 boundary", () => {
  const rows1997to1998 = [row(1997, "07", "12", 6, 100_000), row(1998, "01", "12", 12, 100_000)];
  it.each([
    { name: "1997 excluded, 1998 counted", rows: rows1997to1998, pooled: 144_000, ok: true },
    { name: "1997 wrongly counted", rows: rows1997to1998, pooled: 144_000 + 72_000, ok: false },
    { name: "only 1997 rows → ⑤ is 0", rows: [row(1997, "01", "12", 12, 100_000)], pooled: 0, ok: true },
    { name: "only 1997 rows but ⑤ 1 fen", rows: [row(1997, "01", "12", 12, 100_000)], pooled: 1, ok: false },
    {
      name: "December 1997 + January 1998",
      rows: [row(1997, "12", "12", 1, 300_001), row(1998, "01", "01", 1, 300_001)],
      pooled: 36_000,
      ok: true,
    },
    {
      name: "1 fen per row tolerance (2 rows, 2 fen)",
      rows: [row(1998, "01", "06", 6, 123_457), row(1999, "01", "12", 12, 123_457)],
      pooled: 88_889 + 177_778 + 2,
      ok: true,
    },
    {
      name: "beyond tolerance (2 rows, 3 fen)",
      rows: [row(1998, "01", "06", 6, 123_457), row(1999, "01", "12", 12, 123_457)],
      pooled: 88_889 + 177_778 + 3,
      ok: false,
    },
    { name: "a partial year 2024", rows: [row(2024, "01", "06", 6, 1_000_000)], pooled: 720_000, ok: true },
  ])("$name", ({ rows, pooled, ok }) => {
    const found = validateDocument(recordWith(rows, pooled), { now: NOW }).problems.map((p) => p.code);
    expect(found).toEqual(ok ? [] : ["POOLED_FUND_MISMATCH"]);
  });

  it("matches the example record, whose rows span 1997–2024", () => {
    const record = example("insurance-record").body;
    expect(expectedPooledFund(record)).toBe(record.fund.pooledFundFen);
    expect(record.contributions.map((r) => r.year)).toContain(1997);
  });
});

describe("formatFen", () => {
  it.each([
    [0, "0.00 元"],
    [5, "0.05 元"],
    [123_456_789, "1,234,567.89 元"],
  ])("%i fen → %s", (fen, text) => expect(formatFen(fen)).toBe(text));
});
