import { describe, expect, it } from "vitest";
import { validateDocument, type FundBlock, type Problem } from "../../../src/domain/documents/index.ts";
import { NOW, edited, example } from "./fixtures.ts";

const codes = (problems: Problem[]) => problems.map((p) => `${p.code} ${p.path}`);
/** Only the sums: a replaced fund block no longer matches the rows (account-rules.test.ts covers that). */
const sums = (problems: Problem[]) => codes(problems.filter((p) => p.code === "FUND_SUM_MISMATCH"));

/** A record whose fund block is replaced; ⑤ stays the example's so only the sums are under test. */
function recordWithFund(fund: Partial<FundBlock>) {
  return edited("insurance-record", (doc) => Object.assign(doc.body.fund, fund));
}

describe("FUND_SUM_MISMATCH (④ = ① + ② + ③, ⑥ = ④ + ⑤)", () => {
  const pooled = example("insurance-record").body.fund.pooledFundFen;
  it.each([
    {
      name: "a block that adds up",
      fund: {
        pre1998PersonalFen: 100,
        from1998ToLastYearEndFen: 200,
        currentYearPrincipalFen: 300,
        personalAccountFen: 600,
        totalFen: 600 + pooled,
      },
      expected: [],
    },
    {
      name: "zeros before 1998",
      fund: {
        pre1998PersonalFen: 0,
        from1998ToLastYearEndFen: 12_000_000,
        currentYearPrincipalFen: 1,
        personalAccountFen: 12_000_001,
        totalFen: 12_000_001 + pooled,
      },
      expected: [],
    },
    {
      name: "④ one fen short",
      fund: {
        pre1998PersonalFen: 100,
        from1998ToLastYearEndFen: 200,
        currentYearPrincipalFen: 300,
        personalAccountFen: 599,
        totalFen: 599 + pooled,
      },
      expected: ["FUND_SUM_MISMATCH /body/fund/personalAccountFen"],
    },
    {
      name: "⑥ one fen over",
      fund: {
        pre1998PersonalFen: 100,
        from1998ToLastYearEndFen: 200,
        currentYearPrincipalFen: 300,
        personalAccountFen: 600,
        totalFen: 601 + pooled,
      },
      expected: ["FUND_SUM_MISMATCH /body/fund/totalFen"],
    },
    {
      name: "both wrong",
      fund: {
        pre1998PersonalFen: 100,
        from1998ToLastYearEndFen: 200,
        currentYearPrincipalFen: 300,
        personalAccountFen: 0,
        totalFen: 1,
      },
      expected: ["FUND_SUM_MISMATCH /body/fund/personalAccountFen", "FUND_SUM_MISMATCH /body/fund/totalFen"],
    },
  ])("$name → $expected", ({ fund, expected }) => {
    expect(sums(validateDocument(recordWithFund(fund), { now: NOW }).problems)).toEqual(expected);
  });

  it("checks ⑥ = ④ + ⑤ on a fund-transfer too", () => {
    const doc = edited("fund-transfer", (d) => (d.body.totalFen -= 1));
    expect(codes(validateDocument(doc, { now: NOW }).problems)).toEqual(["FUND_SUM_MISMATCH /body/totalFen"]);
  });

  it("handles amounts beyond 2^32 fen exactly", () => {
    const big = 3_000_000_000_00;
    const fund = {
      pre1998PersonalFen: big,
      from1998ToLastYearEndFen: big,
      currentYearPrincipalFen: 1,
      personalAccountFen: 2 * big + 1,
      totalFen: 2 * big + 1 + pooled,
    };
    expect(sums(validateDocument(recordWithFund(fund), { now: NOW }).problems)).toEqual([]);
  });
});

describe("FUND_TRANSFER_MISMATCH (fund-transfer vs insurance-record of the same case)", () => {
  const record = example("insurance-record");

  it("accepts a transfer that moves exactly ④ ⑤ ⑥", () => {
    expect(validateDocument(example("fund-transfer"), { now: NOW, related: [record] }).problems).toEqual([]);
  });

  it.each([
    { field: "personalAccountFen", delta: 1, also: "totalFen" },
    { field: "pooledFundFen", delta: -100, also: "totalFen" },
  ] as const)("flags $field and $also when $field is off by $delta", ({ field, delta, also }) => {
    const doc = edited("fund-transfer", (d) => {
      d.body[field] += delta;
      d.body[also] += delta;
    });
    const found = codes(validateDocument(doc, { now: NOW, related: [record] }).problems);
    expect(found).toEqual(
      [`FUND_TRANSFER_MISMATCH /body/${field}`, `FUND_TRANSFER_MISMATCH /body/${also}`].sort(
        (a, b) => order(a) - order(b),
      ),
    );
  });

  // Issue 11: the person is one rule for every document of a case (PERSON_MISMATCH), no longer part of this one.
  it("flags a transfer for another person as PERSON_MISMATCH", () => {
    const other = edited("insurance-record", (d) => (d.body.person.idNumber = "11010519491231002X"));
    const found = codes(validateDocument(example("fund-transfer"), { now: NOW, related: [other] }).problems);
    expect(found).toEqual(["PERSON_MISMATCH /body/person/idNumber"]);
  });

  it("flags a transfer naming no record of the case, and accepts one naming the corrected record", () => {
    const corrected = edited("insurance-record", (d) => {
      d.id = "GD-XXB-2024-004322";
      d.issuedAt = "2024-08-15T09:00:00+08:00";
      d.body.supersedes = "GD-XXB-2024-004321";
    });
    const transfer = edited("fund-transfer", (d) => (d.body.insuranceRecordId = "GD-XXB-2024-004399"));
    const found = codes(validateDocument(transfer, { now: NOW, related: [record, corrected] }).problems);
    expect(found).toEqual(["REFERENCE_NOT_IN_CASE /body/insuranceRecordId"]);
    const named = edited("fund-transfer", (d) => (d.body.insuranceRecordId = "GD-XXB-2024-004322"));
    expect(validateDocument(named, { now: NOW, related: [record, corrected] }).problems).toEqual([]);
  });

  it("flags a transfer naming the superseded record once the case holds its correction", () => {
    const corrected = edited("insurance-record", (d) => {
      d.id = "GD-XXB-2024-004322";
      d.issuedAt = "2024-08-15T09:00:00+08:00";
      d.body.supersedes = "GD-XXB-2024-004321";
    });
    const found = codes(
      validateDocument(example("fund-transfer"), { now: NOW, related: [record, corrected] }).problems,
    );
    expect(found).toEqual(["REFERENCE_NOT_IN_CASE /body/insuranceRecordId"]);
  });

  it("lets the money go before its record: a transfer may name a record not sent yet", () => {
    const related = [example("contact-letter")];
    expect(validateDocument(example("fund-transfer"), { now: NOW, related }).problems).toEqual([]);
  });

  it("holds a record arriving after the fund transfer to its ④ ⑤ ⑥ and its insuranceRecordId", () => {
    const related = [example("contact-letter"), example("fund-transfer")];
    expect(validateDocument(example("insurance-record"), { now: NOW, related }).problems).toEqual([]);
    // ⑤ one yuan less (12 001 022 − 100 = 12 000 922 is outside Σ⌊⌋ 12 001 009), ⑥ kept adding up.
    const short = edited("insurance-record", (d) => {
      d.body.fund.pooledFundFen -= 100;
      d.body.fund.totalFen -= 100;
    });
    expect(codes(validateDocument(short, { now: NOW, related }).problems)).toEqual([
      "POOLED_FUND_MISMATCH /body/fund/pooledFundFen",
      "FUND_TRANSFER_MISMATCH /body/fund/pooledFundFen",
      "FUND_TRANSFER_MISMATCH /body/fund/totalFen",
    ]);
    const renamed = edited("insurance-record", (d) => (d.id = "GD-XXB-2024-004399"));
    expect(codes(validateDocument(renamed, { now: NOW, related }).problems)).toEqual(["FUND_TRANSFER_MISMATCH /id"]);
  });

  it("does not hold a corrected record to the fund transfer of the record it supersedes", () => {
    const corrected = edited("insurance-record", (d) => {
      d.id = "GD-XXB-2024-004322";
      d.issuedAt = "2024-08-15T09:00:00+08:00";
      d.body.supersedes = "GD-XXB-2024-004321";
    });
    const related = [example("contact-letter"), record, example("fund-transfer")];
    expect(validateDocument(corrected, { now: NOW, related }).problems).toEqual([]);
  });

  it("ignores records of other cases and records that do not conform", () => {
    const otherCase = edited("insurance-record", (d) => {
      d.caseId = "CASE-OTHER";
      d.body.fund.totalFen = 1;
    });
    const broken = { ...record, body: { ...record.body, fund: "n/a" } };
    const doc = edited("fund-transfer", (d) => (d.body.totalFen = d.body.personalAccountFen + d.body.pooledFundFen));
    expect(validateDocument(doc, { now: NOW, related: [otherCase, broken] }).problems).toEqual([]);
  });
});

function order(line: string): number {
  return ["personalAccountFen", "pooledFundFen", "totalFen"].findIndex((f) => line.endsWith(f));
}
