import { describe, expect, it } from "vitest";
import type { ContributionRow } from "../../../src/domain/documents/index.ts";
import { accountRecord, problemLines, row } from "./records.ts";

const at = (i: number, field: string) => `/body/contributions/${i}/${field}`;

describe("the hand-worked account record", () => {
  it("passes every rule", () => {
    expect(problemLines(accountRecord())).toEqual([]);
  });

  it("chains the rows in the order listed (the order credited), so reversed rows break the chain", () => {
    // Reversed: 2024 360 000 ≠ 1 209 100; 2023 360 000 + 676 000 = 1 036 000 ≠ 849 100; 1998 1 036 000 + 120 300
    // = 1 156 300 ≠ 173 100; 1997 1 156 300 + 52 800 = 1 209 100 ≠ 52 800, and its personal part resumes
    // from 1998's stated 73 750: 73 750 + 19 200 = 92 950 ≠ 19 200.
    const doc = accountRecord((d) => d.body.contributions.reverse());
    expect(problemLines(doc, { codes: ["BALANCE_CHAIN_BROKEN"] })).toEqual([
      `BALANCE_CHAIN_BROKEN ${at(0, "balanceFen")}`,
      `BALANCE_CHAIN_BROKEN ${at(1, "balanceFen")}`,
      `BALANCE_CHAIN_BROKEN ${at(2, "balanceFen")}`,
      `BALANCE_CHAIN_BROKEN ${at(3, "balanceFen")}`,
      `BALANCE_CHAIN_BROKEN ${at(3, "balancePersonalFen")}`,
    ]);
  });
});

describe("the employer-credited part of the 1997-end balance stays (66号 art 4)", () => {
  it("flags the over-transfer that moved all of 1997's 52 800 instead of its personal 19 200", () => {
    // ② 849 100 − 19 200 = 829 900 and ④ 1 209 100 move D = 33 600 too much.
    const doc = accountRecord((d) => {
      Object.assign(d.body.fund, { from1998ToLastYearEndFen: 829_900, personalAccountFen: 1_209_100 });
      d.body.fund.totalFen = 1_209_100 + 1_677_600;
    });
    expect(problemLines(doc)).toEqual([
      "CARRIED_BALANCE_MISMATCH /body/fund/from1998ToLastYearEndFen",
      "ACCOUNT_BALANCE_MISMATCH /body/fund/personalAccountFen",
    ]);
  });

  it("asks for the 1997 personal part when a row before 1998 credited more than the personal rate", () => {
    // 1997 credited 11 % against 4 % personal: the 52 800 balance is not all 个人缴费, so ① cannot be read off it.
    const doc = accountRecord((d) => {
      delete d.body.contributions[0]!.balancePersonalFen;
      delete d.body.contributions[1]!.balancePersonalFen;
      Object.assign(d.body.fund, { pre1998PersonalFen: 52_800, personalAccountFen: 1_209_100 });
      d.body.fund.totalFen = 1_209_100 + 1_677_600;
    });
    expect(problemLines(doc)).toEqual([`PRE_1998_BALANCE_MISMATCH ${at(0, "balancePersonalFen")}`]);
  });
});

describe("① = the personal balance at the end of 1997 (PRE_1998_BALANCE_MISMATCH)", () => {
  const codes = ["PRE_1998_BALANCE_MISMATCH", "CARRIED_BALANCE_MISMATCH"];

  it("flags the 1997 total balance (52 800) instead of its personal part (19 200)", () => {
    const doc = accountRecord((d) => {
      d.body.fund.pre1998PersonalFen = 52_800;
      d.body.fund.from1998ToLastYearEndFen = 849_100 - 52_800;
    });
    expect(problemLines(doc, { codes })).toEqual(["PRE_1998_BALANCE_MISMATCH /body/fund/pre1998PersonalFen"]);
  });

  it("reads the total balance when the 1997 row gives no personal part", () => {
    const doc = accountRecord((d) => {
      const first = d.body.contributions[0]!;
      first.creditedFen = 19_200;
      first.accountRateBp = 400;
      first.balanceFen = 19_200;
      delete first.balancePersonalFen;
      d.body.contributions[1]!.balanceFen = 19_200 + 118_800 + 1_500;
      d.body.contributions[2]!.balanceFen = 139_500 + 672_000 + 4_000;
      d.body.contributions[3]!.balanceFen = 815_500 + 360_000;
      Object.assign(d.body.fund, { from1998ToLastYearEndFen: 815_500 - 19_200, personalAccountFen: 1_175_500 });
      d.body.fund.totalFen = 1_175_500 + 1_677_600;
    });
    expect(problemLines(doc)).toEqual([]);
  });

  it("is 0 when the first row is January 1998 (the 1997/1998 boundary)", () => {
    const doc = accountRecord((d) => {
      d.body.contributions.shift();
      const [r1998, r2023, r2024] = d.body.contributions as [ContributionRow, ContributionRow, ContributionRow];
      Object.assign(r1998, { interestFen: 0, interestPersonalFen: 0, balanceFen: 118_800, balancePersonalFen: 54_000 });
      r2023.balanceFen = 118_800 + 672_000 + 4_000;
      r2024.balanceFen = 794_800 + 360_000;
      d.body.fund = {
        pre1998PersonalFen: 0,
        from1998ToLastYearEndFen: 794_800,
        currentYearPrincipalFen: 360_000,
        personalAccountFen: 1_154_800,
        pooledFundFen: 1_677_600,
        totalFen: 1_154_800 + 1_677_600,
      };
      d.body.paidMonths = 30;
      d.body.localPeriod.startMonth = "1998-01";
    });
    expect(problemLines(doc)).toEqual([]);
    const wrong = accountRecord((d) => d.body.contributions.shift());
    expect(problemLines(wrong, { codes })).toEqual(["PRE_1998_BALANCE_MISMATCH /body/fund/pre1998PersonalFen"]);
  });
});

describe("② and ③ around the transfer year", () => {
  const codes = ["CARRIED_BALANCE_MISMATCH", "CURRENT_YEAR_PRINCIPAL_MISMATCH", "ACCOUNT_BALANCE_MISMATCH"];

  it("flags ③ one fen over the transfer year's credits (and ② that absorbed it)", () => {
    const doc = accountRecord((d) => {
      d.body.fund.currentYearPrincipalFen = 360_001;
      d.body.fund.from1998ToLastYearEndFen = 796_299;
    });
    expect(problemLines(doc, { codes })).toEqual([
      "CARRIED_BALANCE_MISMATCH /body/fund/from1998ToLastYearEndFen",
      "CURRENT_YEAR_PRINCIPAL_MISMATCH /body/fund/currentYearPrincipalFen",
    ]);
  });

  it("moves everything into ② when the transfer year has no rows (transfer in 2025)", () => {
    const doc = accountRecord((d) => {
      d.body.transferDate = "2025-03-02";
      d.body.fund.from1998ToLastYearEndFen = 1_209_100 - 52_800;
      d.body.fund.currentYearPrincipalFen = 0;
    });
    expect(problemLines(doc)).toEqual([]);
  });

  it("counts a make-up row in the year it was credited (paidOn), listed where it was credited", () => {
    // 2022 made up on 2024-05-10: 700 000 × 12 × 8 % = 672 000, balance 1 209 100 + 672 000 = 1 881 100.
    // ③ 360 000 + 672 000 = 1 032 000; ④ 1 881 100 − 33 600 = 1 847 500; ⑤ 1 677 600 + 700 000 × 12 × 12 %
    // (1 008 000) = 2 685 600; ⑥ 1 847 500 + 2 685 600 = 4 533 100.
    const makeUp = (paidOn?: string) =>
      accountRecord((d) => {
        const r = row(2022, "01", "12", 12, 700_000, {}, [672_000, 672_000], [0], [1_881_100]);
        d.body.contributions.push({ ...r, kind: "make-up", ...(paidOn ? { paidOn } : {}) });
        Object.assign(d.body.fund, {
          currentYearPrincipalFen: 1_032_000,
          personalAccountFen: 1_847_500,
          pooledFundFen: 2_685_600,
          totalFen: 4_533_100,
        });
        d.body.paidMonths = 48;
      });
    expect(problemLines(makeUp("2024-05-10"))).toEqual([]);
    // Without paidOn it counts in 2022: ② 1 881 100 − 52 800 = 1 828 300, ③ 360 000.
    expect(problemLines(makeUp(), { codes })).toEqual([
      "CARRIED_BALANCE_MISMATCH /body/fund/from1998ToLastYearEndFen",
      "CURRENT_YEAR_PRINCIPAL_MISMATCH /body/fund/currentYearPrincipalFen",
    ]);
  });

  it("flags ④ that is not the last row's balance, even when ①+②+③ add up to it", () => {
    const doc = accountRecord((d) => {
      d.body.contributions[3]!.balanceFen = 1_209_101;
      d.body.contributions[3]!.interestFen = 1;
    });
    expect(problemLines(doc, { codes: [...codes, "CURRENT_YEAR_INTEREST"] })).toEqual([
      "ACCOUNT_BALANCE_MISMATCH /body/fund/personalAccountFen",
      "CURRENT_YEAR_INTEREST /body/contributions/3/interestFen",
    ]);
  });
});

describe("BALANCE_CHAIN_BROKEN: balance = previous balance + credit + interest", () => {
  const codes = ["BALANCE_CHAIN_BROKEN"];

  it.each([2, 3])("flags a balance one fen high at row %i only, not ② or ④ read off the chain", (i) => {
    const doc = accountRecord((d) => (d.body.contributions[i]!.balanceFen += 1));
    expect(problemLines(doc)).toEqual([`BALANCE_CHAIN_BROKEN ${at(i, "balanceFen")}`]);
  });

  it("flags the first row when its balance is not its credit plus interest", () => {
    const doc = accountRecord((d) => (d.body.contributions[0]!.balanceFen = 52_799));
    expect(problemLines(doc, { codes })).toContain(`BALANCE_CHAIN_BROKEN ${at(0, "balanceFen")}`);
  });

  it("chains the personal sub-columns where rows give them", () => {
    const doc = accountRecord((d) => (d.body.contributions[1]!.balancePersonalFen = 73_749));
    expect(problemLines(doc, { codes })).toEqual([`BALANCE_CHAIN_BROKEN ${at(1, "balancePersonalFen")}`]);
  });
});

describe("CREDIT_MISMATCH: credit = base × months × rate within the declared rounding", () => {
  const codes = ["CREDIT_MISMATCH"];
  // Row 3: 750 001 × 6 × 8 % = 360 000.48 (row) ; per month 60 000.08 → 60 000 … 60 001, × 6 = 360 000 … 360 006.
  it.each([
    { credited: 359_999, rounding: undefined, ok: false },
    { credited: 360_000, rounding: undefined, ok: true },
    { credited: 360_001, rounding: undefined, ok: true },
    { credited: 360_002, rounding: "row", ok: false },
    { credited: 360_006, rounding: "month", ok: true },
    { credited: 360_007, rounding: "month", ok: false },
    { credited: 359_999, rounding: "month", ok: false },
  ] as const)("credited $credited with rounding $rounding → ok=$ok", ({ credited, rounding, ok }) => {
    const doc = accountRecord((d) => {
      const r = d.body.contributions[3]!;
      r.creditedFen = credited;
      if (rounding) d.body.creditRounding = rounding;
    });
    expect(problemLines(doc, { codes })).toEqual(ok ? [] : [`CREDIT_MISMATCH ${at(3, "creditedFen")}`]);
  });

  it("checks the personal part against the personal rate (90 000 × 12 × 5 % = 54 000)", () => {
    const doc = accountRecord((d) => (d.body.contributions[1]!.creditedPersonalFen = 54_001));
    expect(problemLines(doc, { codes })).toEqual([`CREDIT_MISMATCH ${at(1, "creditedPersonalFen")}`]);
  });
});

describe("interest-only rows (months 0): a year without contributions", () => {
  // Transfer 2026-03-02; 2025 paid nothing but earned 30 000 interest: balance 1 209 100 + 30 000 = 1 239 100.
  // ② 1 239 100 − 52 800 = 1 186 300; ③ 0; ④ 1 239 100 − 33 600 = 1 205 500; ⑥ 1 205 500 + 1 677 600 = 2 883 100.
  const LATER = new Date("2026-03-10T02:00:00Z");
  const gapYear = (edit: (r: ContributionRow) => void = () => {}) =>
    accountRecord((d) => {
      const r = row(2025, "01", "12", 0, 0, {}, [0, 0], [30_000], [1_239_100]);
      edit(r);
      d.body.contributions.push(r);
      d.body.transferDate = "2026-03-02";
      Object.assign(d.body.fund, {
        from1998ToLastYearEndFen: 1_186_300,
        currentYearPrincipalFen: 0,
        personalAccountFen: 1_205_500,
        totalFen: 2_883_100,
      });
    });

  it("carries the gap year's interest into ② and adds no paid months or period", () => {
    expect(problemLines(gapYear(), { now: LATER })).toEqual([]);
  });

  it("credits nothing: a credit on it is flagged", () => {
    const doc = gapYear((r) => Object.assign(r, { creditedFen: 1, balanceFen: 1_239_101 }));
    expect(problemLines(doc, { now: LATER, codes: ["CREDIT_MISMATCH"] })).toEqual([
      `CREDIT_MISMATCH ${at(4, "creditedFen")}`,
    ]);
  });

  it("shares its year with no other row", () => {
    const doc = gapYear((r) => Object.assign(r, { year: 2024, startMonth: "2024-07", endMonth: "2024-12" }));
    expect(problemLines(doc, { now: LATER, codes: ["PERIOD_OVERLAP"] })).toEqual([
      `PERIOD_OVERLAP /body/contributions/4`,
    ]);
  });
});

describe("CURRENT_YEAR_INTEREST: the transfer year is principal only", () => {
  it("flags interest (total and personal) on a row of the transfer year", () => {
    const doc = accountRecord((d) =>
      Object.assign(d.body.contributions[3]!, { interestFen: 10, interestPersonalFen: 10 }),
    );
    expect(problemLines(doc, { codes: ["CURRENT_YEAR_INTEREST"] })).toEqual([
      `CURRENT_YEAR_INTEREST ${at(3, "interestFen")}`,
      `CURRENT_YEAR_INTEREST ${at(3, "interestPersonalFen")}`,
    ]);
  });
});
