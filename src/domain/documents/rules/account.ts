import { POOLED_FUND_FROM_YEAR, formatFen } from "../../money.ts";
import { pointer, problem, type DocumentProblemCode, type Problem } from "../problems.ts";
import type { ContributionRow, Document, FundBlock } from "../types.ts";
import { runningBalances, type RunningBalance } from "./chain.ts";
import { creditYear, rowPath, type IndexedRow } from "./rows.ts";

/**
 * The personal account of 信息表（一） read off the rows of 信息表（二） alone (66号 art 4, docs/money-rules.md
 * "Personal account"), from the recomputed balance chain, never from another stated figure, so one wrong
 * figure is flagged once. Before 1998 only the personal contributions and their interest move: the part of
 * the 1997-end balance credited from the employer's contributions (D) stays behind. ① the personal balance
 * at the end of 1997; ② the balance at the end of the year before the transfer less the 1997-end balance;
 * ③ the credits of the transfer year; ④ the balance at transfer less D.
 */
export function checkPersonalAccount(doc: Document): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const rows = doc.body.contributions;
  const sums = runningBalances(rows);
  const year = Number(doc.body.transferDate.slice(0, 4));
  const end1997 = balanceBefore(rows, sums, POOLED_FUND_FROM_YEAR);
  const personal = personalBalance1997(rows, sums);
  const principal = rows.filter((row) => creditYear(row) === year).reduce((sum, r) => sum + BigInt(r.creditedFen), 0n);
  const checks: Check[] = [
    [
      "CARRIED_BALANCE_MISMATCH",
      "from1998ToLastYearEndFen",
      balanceBefore(rows, sums, year) - end1997,
      `②${year - 1} 年末账户累计储存额减 1997 年末账户累计储存额`,
    ],
    ["CURRENT_YEAR_PRINCIPAL_MISMATCH", "currentYearPrincipalFen", principal, `③${year} 年记账各行记账金额之和`],
  ];
  if (typeof personal === "bigint") {
    const retained = end1997 - personal;
    const what = retained === 0n ? "④账户累计储存额" : "④账户累计储存额减 1998 年前单位缴费划入部分";
    checks.unshift(["PRE_1998_BALANCE_MISMATCH", "pre1998PersonalFen", personal, "①1997 年末个人缴费累计储存额"]);
    checks.push(["ACCOUNT_BALANCE_MISMATCH", "personalAccountFen", (sums.at(-1)?.total ?? 0n) - retained, what]);
  }
  const found = checks.flatMap((check) => compare(doc.body.fund, check));
  return typeof personal === "bigint" ? found : [personal, ...found];
}

/** An item of 信息表（一）, its code, what the rows call for, and what that is (for the message). */
type Check = [DocumentProblemCode, keyof FundBlock, bigint, string];

function compare(fund: FundBlock, [code, field, expected, what]: Check): Problem[] {
  const stated = fund[field];
  if (BigInt(stated) === expected) return [];
  const message = `应为${what} ${formatFen(expected)}，实为 ${formatFen(stated)}`;
  return [problem(code, pointer("body", "fund", field), message)];
}

/** The recomputed balance after the last row credited before `year` (rows are listed as credited); 0 without. */
function balanceBefore(rows: readonly ContributionRow[], sums: readonly RunningBalance[], year: number): bigint {
  const i = rows.findLastIndex((row) => creditYear(row) < year);
  return i < 0 ? 0n : sums[i]!.total;
}

/**
 * The personal part of the 1997-end balance: where the last row credited before 1998 states it, the recomputed
 * personal chain there (the stated value where the chain is unknown). Without it, when every such row credited
 * the account at the personal rate it is the whole balance; when one credited at another rate (划入个人账户比例
 * ≠ 个人缴费比例, the employer's part) ① cannot be read off the rows, which is itself a problem.
 */
function personalBalance1997(rows: readonly ContributionRow[], sums: readonly RunningBalance[]): bigint | Problem {
  const i = rows.findLastIndex((row) => creditYear(row) < POOLED_FUND_FROM_YEAR);
  if (i < 0) return 0n;
  const last = rows[i]!;
  const { total, personal } = sums[i]!;
  const employerCredited = rows.some(
    (row) => creditYear(row) < POOLED_FUND_FROM_YEAR && row.accountRateBp !== row.personalRateBp,
  );
  if (last.balancePersonalFen === undefined) {
    if (!employerCredited) return total;
    const message = `1998 年前有行的划入个人账户比例不等于个人缴费比例，第 ${i + 1} 行（1997 年末）须填写累计储存额中个人缴费部分，方可核对①`;
    return problem("PRE_1998_BALANCE_MISMATCH", rowPath(i, "balancePersonalFen"), message);
  }
  return personal ?? BigInt(last.balancePersonalFen);
}

function lastBalance(rows: readonly ContributionRow[]): bigint {
  return runningBalances(rows).at(-1)?.total ?? 0n;
}

/** 个人账户储存额 on a voucher is the account at issue: the recomputed balance after the last row. */
export function checkVoucherBalance(doc: Document): Problem[] {
  if (doc.type !== "contribution-voucher") return [];
  const expected = lastBalance(doc.body.contributions);
  if (BigInt(doc.body.personalAccountFen) === expected) return [];
  const message = `个人账户储存额应为最后一行账户累计储存额 ${formatFen(expected)}，实为 ${formatFen(doc.body.personalAccountFen)}`;
  return [problem("ACCOUNT_BALANCE_MISMATCH", pointer("body", "personalAccountFen"), message)];
}

/** The transfer year's rows are principal only (③): interest is credited to the previous year-end. */
export function checkCurrentYearInterest(doc: Document): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const transferYear = Number(doc.body.transferDate.slice(0, 4));
  return doc.body.contributions
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => row.year === transferYear)
    .flatMap((indexed) => interestProblems(indexed, transferYear));
}

function interestProblems({ row, i }: IndexedRow, year: number): Problem[] {
  const fields = (["interestFen", "interestPersonalFen"] as const).filter((f) => (row[f] ?? 0) > 0);
  return fields.map((field) =>
    problem(
      "CURRENT_YEAR_INTEREST",
      rowPath(i, field),
      `第 ${i + 1} 行属调转当年 ${year}，当年只记本金不计息，利息应为 0，实为 ${formatFen(row[field] ?? 0)}`,
    ),
  );
}
