import { describe, expect, it } from "vitest";
import type { DocumentOf } from "../../../src/domain/documents/index.ts";
import { edited, example } from "./fixtures.ts";
import { problemLines } from "./records.ts";

const voucher = (edit: Parameters<typeof edited<"contribution-voucher">>[1]) => edited("contribution-voucher", edit);

describe("contribution-voucher (参保缴费凭证)", () => {
  it("accepts the example: rows, balance and period of the insurance record it precedes", () => {
    expect(problemLines(example("contribution-voucher"))).toEqual([]);
  });

  it("stands alone: addressed to its issuer, its own case", () => {
    const doc = voucher((d) => {
      d.to = "330000";
      d.caseId = "CASE-330000-2024-000815";
    });
    expect(problemLines(doc)).toEqual(["VOUCHER_NOT_STANDALONE /to", "VOUCHER_NOT_STANDALONE /caseId"]);
  });

  it("is issued by an agency of the sealing agency's province", () => {
    const doc = voucher((d) => (d.body.issuingAgency.divisionCode = "440100"));
    expect(problemLines(doc)).toEqual([]);
    const other = voucher((d) => (d.body.issuingAgency.divisionCode = "330000"));
    expect(problemLines(other, { codes: ["VOUCHER_ISSUER_MISMATCH"] })).toEqual([
      "VOUCHER_ISSUER_MISMATCH /body/issuingAgency/divisionCode",
    ]);
  });

  it("states the 社会保障号码 equal to the 公民身份号码 (or not at all)", () => {
    expect(problemLines(voucher((d) => delete d.body.person.socialSecurityNumber))).toEqual([]);
    const doc = voucher((d) => (d.body.person.socialSecurityNumber = "330106197608151248"));
    expect(problemLines(doc)).toEqual(["SOCIAL_SECURITY_NUMBER_MISMATCH /body/person/socialSecurityNumber"]);
  });

  it.each([1, -1])("flags 个人账户储存额 %i fen off the last row's balance", (delta) => {
    const doc = voucher((d) => (d.body.personalAccountFen += delta));
    expect(problemLines(doc)).toEqual(["ACCOUNT_BALANCE_MISMATCH /body/personalAccountFen"]);
  });

  it("checks 累计缴费月数 and 参保起止时间 against the issuing province's rows", () => {
    const doc = voucher((d) => {
      d.body.paidMonths = 318;
      d.body.insuredPeriod.startMonth = "1998-01";
    });
    expect(problemLines(doc)).toEqual([
      "PAID_MONTHS_MISMATCH /body/paidMonths",
      "LOCAL_PERIOD_MISMATCH /body/insuredPeriod/startMonth",
    ]);
  });

  it.each([
    {
      rule: "balance chain",
      edit: (d: DocumentOf<"contribution-voucher">) => (d.body.contributions[5]!.balanceFen += 1),
      // Expected balances are the recomputed running sums: only the mistyped row disagrees.
      lines: ["BALANCE_CHAIN_BROKEN /body/contributions/5/balanceFen"],
    },
    {
      rule: "credits",
      edit: (d: DocumentOf<"contribution-voucher">) => {
        d.body.contributions[8]!.creditedFen += 1000;
        d.body.contributions[8]!.interestFen -= 1000;
      },
      lines: ["CREDIT_MISMATCH /body/contributions/8/creditedFen"],
    },
    {
      rule: "divisions",
      edit: (d: DocumentOf<"contribution-voucher">) => (d.body.contributions[9]!.divisionCode = "449999"),
      lines: ["DIVISION_UNKNOWN /body/contributions/9/divisionCode"],
    },
    {
      rule: "periods",
      edit: (d: DocumentOf<"contribution-voucher">) => (d.body.contributions[9]!.year = 2005),
      lines: ["PERIOD_INVALID /body/contributions/9"],
    },
  ])("runs the insurance record's row rule: $rule", ({ edit, lines }) => {
    expect(problemLines(voucher(edit))).toEqual(lines);
  });

  it("finds contributions before 16 from the birth date in the 公民身份号码", () => {
    const doc = voucher((d) =>
      Object.assign(d.body.contributions[0]!, { year: 1992, startMonth: "1992-07", endMonth: "1992-12" }),
    );
    expect(problemLines(doc, { codes: ["PERIOD_BEFORE_AGE_16"] })).toEqual([
      "PERIOD_BEFORE_AGE_16 /body/contributions/0/startMonth",
    ]);
  });

  it("is not a cross-province transfer step: from = to is its shape, not SAME_PROVINCE", () => {
    expect(problemLines(example("contribution-voucher"), { codes: ["SAME_PROVINCE"] })).toEqual([]);
  });
});
