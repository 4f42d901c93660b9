import { describe, expect, it } from "vitest";
import type { ContributionRow } from "../../../src/domain/documents/index.ts";
import { accountRecord, problemLines } from "./records.ts";

const at = (i: number, field: string) => `/body/contributions/${i}/${field}`;

describe("the hand-worked account record", () => {
  it("passes every rule", () => {
    expect(problemLines(accountRecord())).toEqual([]);
  });

  it("passes with its rows listed out of order (the chain follows the months)", () => {
    expect(problemLines(accountRecord((d) => d.body.contributions.reverse()))).toEqual([]);
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
      d.body.fund.from1998ToLastYearEndFen = 829_899;
    });
    expect(problemLines(doc, { codes })).toEqual([
      "CARRIED_BALANCE_MISMATCH /body/fund/from1998ToLastYearEndFen",
      "CURRENT_YEAR_PRINCIPAL_MISMATCH /body/fund/currentYearPrincipalFen",
    ]);
  });

  it("moves everything into ② when the transfer year has no rows (transfer in 2025)", () => {
    const doc = accountRecord((d) => {
      d.body.transferDate = "2025-03-02";
      d.body.fund.from1998ToLastYearEndFen = 1_209_100 - 19_200;
      d.body.fund.currentYearPrincipalFen = 0;
    });
    expect(problemLines(doc)).toEqual([]);
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

  it("flags a balance one fen high, and the next row that carried it", () => {
    const doc = accountRecord((d) => (d.body.contributions[2]!.balanceFen += 1));
    expect(problemLines(doc, { codes })).toEqual([
      `BALANCE_CHAIN_BROKEN ${at(2, "balanceFen")}`,
      `BALANCE_CHAIN_BROKEN ${at(3, "balanceFen")}`,
    ]);
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
