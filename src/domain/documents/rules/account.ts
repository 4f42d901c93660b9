import { POOLED_FUND_FROM_YEAR, formatFen, type Fen } from "../../money.ts";
import { pointer, problem, type DocumentProblemCode, type Problem } from "../problems.ts";
import type { ContributionRow, Document, FundBlock } from "../types.ts";
import { rowPath, rowsInOrder, type IndexedRow } from "./rows.ts";

/**
 * The personal account of 信息表（一） read off the rows of 信息表（二） (66号 art 4; interest to the previous
 * year-end only, docs/money-rules.md "Personal account"): ① the personal balance at the end of 1997;
 * ② the balance at the end of the year before the transfer, less the stated ①; ③ the credits of the
 * transfer year; ④ the last row's balance.
 */
export function checkPersonalAccount(doc: Document): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const rows = rowsInOrder(doc).map(({ row }) => row);
  const fund = doc.body.fund;
  const year = Number(doc.body.transferDate.slice(0, 4));
  // ② is what the balance before the transfer year holds beyond the stated ①, so one wrong figure is flagged
  // once (① wrong, ② right) rather than in both.
  const carried = BigInt(balanceBefore(rows, year)) - BigInt(fund.pre1998PersonalFen);
  const principal = rows.filter((row) => row.year === year).reduce((sum, row) => sum + BigInt(row.creditedFen), 0n);
  const checks: [DocumentProblemCode, keyof FundBlock, bigint, string][] = [
    [
      "PRE_1998_BALANCE_MISMATCH",
      "pre1998PersonalFen",
      BigInt(personalBalanceBefore(rows, POOLED_FUND_FROM_YEAR)),
      "①1997 年末个人缴费累计储存额",
    ],
    ["CARRIED_BALANCE_MISMATCH", "from1998ToLastYearEndFen", carried, `②${year - 1} 年末账户储存额减①`],
    ["CURRENT_YEAR_PRINCIPAL_MISMATCH", "currentYearPrincipalFen", principal, `③${year} 年各行记账金额之和`],
    ["ACCOUNT_BALANCE_MISMATCH", "personalAccountFen", BigInt(lastBalance(rows)), "④最后一行账户累计储存额"],
  ];
  return checks.flatMap(([code, field, expected, what]) => compare(code, field, fund[field], expected, what));
}

function compare(code: DocumentProblemCode, field: string, stated: Fen, expected: bigint, what: string): Problem[] {
  if (BigInt(stated) === expected) return [];
  const message = `应为${what} ${formatFen(expected)}，实为 ${formatFen(stated)}`;
  return [problem(code, pointer("body", "fund", field), message)];
}

/** The personal part of the balance at the end of 1997: the personal sub-column when given, else the balance. */
function personalBalanceBefore(rows: ContributionRow[], year: number): Fen {
  const last = rows.filter((row) => row.year < year).at(-1);
  return last ? (last.balancePersonalFen ?? last.balanceFen) : 0;
}

function balanceBefore(rows: ContributionRow[], year: number): Fen {
  return rows.filter((row) => row.year < year).at(-1)?.balanceFen ?? 0;
}

function lastBalance(rows: ContributionRow[]): Fen {
  return rows.at(-1)?.balanceFen ?? 0;
}

/** 个人账户储存额 on a voucher is the account at issue: the last row's balance. */
export function checkVoucherBalance(doc: Document): Problem[] {
  if (doc.type !== "contribution-voucher") return [];
  const expected = lastBalance(rowsInOrder(doc).map(({ row }) => row));
  if (doc.body.personalAccountFen === expected) return [];
  const message = `个人账户储存额应为最后一行账户累计储存额 ${formatFen(expected)}，实为 ${formatFen(doc.body.personalAccountFen)}`;
  return [problem("ACCOUNT_BALANCE_MISMATCH", pointer("body", "personalAccountFen"), message)];
}

/** The transfer year's rows are principal only (③): interest is credited to the previous year-end. */
export function checkCurrentYearInterest(doc: Document): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const transferYear = Number(doc.body.transferDate.slice(0, 4));
  return rowsInOrder(doc)
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
