import { formatFen, formatRange, inRange, monthlyAmountRange, rowAmountRange, type Fen } from "../../money.ts";
import { problem, type Problem } from "../problems.ts";
import type { ContributionRow, CreditRounding, Document } from "../types.ts";
import { isRowDocument, rowPath, rowsInOrder } from "./rows.ts";

/**
 * The balance is carried year to year (信息表（二） 至本年末账户累计储存额): each row's balance is the previous
 * row's balance + its credit + its interest, the first row's its credit + its interest. The personal
 * sub-columns chain the same way where a row and its predecessor give them.
 */
export function checkBalanceChain(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  const found: Problem[] = [];
  let previous: ContributionRow | undefined;
  for (const { row, i } of rowsInOrder(doc)) {
    const expected = BigInt(previous?.balanceFen ?? 0) + BigInt(row.creditedFen) + BigInt(row.interestFen);
    if (BigInt(row.balanceFen) !== expected) found.push(chainProblem(i, "balanceFen", expected, row.balanceFen));
    const personal = expectedPersonalBalance(row, previous);
    if (personal !== undefined && BigInt(row.balancePersonalFen ?? 0) !== personal) {
      found.push(chainProblem(i, "balancePersonalFen", personal, row.balancePersonalFen ?? 0));
    }
    previous = row;
  }
  return found;
}

/** Undefined when the row, or the row before it, lacks a personal part the sum needs. */
function expectedPersonalBalance(row: ContributionRow, previous: ContributionRow | undefined): bigint | undefined {
  if (row.balancePersonalFen === undefined || row.creditedPersonalFen === undefined) return undefined;
  const interest = row.interestPersonalFen ?? (row.interestFen === 0 ? 0 : undefined);
  if (interest === undefined) return undefined;
  if (previous && previous.balancePersonalFen === undefined) return undefined;
  return BigInt(previous?.balancePersonalFen ?? 0) + BigInt(row.creditedPersonalFen) + BigInt(interest);
}

function chainProblem(i: number, field: "balanceFen" | "balancePersonalFen", expected: bigint, stated: Fen): Problem {
  const what = field === "balanceFen" ? "账户累计储存额" : "累计储存额中个人缴费部分";
  const message = `第 ${i + 1} 行${what}应为上行余额 + 本行记账金额 + 本行利息 = ${formatFen(expected)}，实为 ${formatFen(stated)}`;
  return problem("BALANCE_CHAIN_BROKEN", rowPath(i, field), message);
}

/**
 * 当年记账金额 = base × months × 划入个人账户比例, and its personal part base × months × 个人缴费比例, each within
 * the document's rounding: "row" (default) rounds the row's product once, "month" rounds each month's amount.
 */
export function checkCredits(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  const rounding = doc.body.creditRounding ?? "row";
  return doc.body.contributions.flatMap((row, i) => [
    ...creditProblem(row, i, "creditedFen", row.accountRateBp, rounding),
    ...creditProblem(row, i, "creditedPersonalFen", row.personalRateBp, rounding),
  ]);
}

function creditProblem(
  row: ContributionRow,
  i: number,
  field: "creditedFen" | "creditedPersonalFen",
  rateBp: number,
  rounding: CreditRounding,
): Problem[] {
  const stated = row[field];
  if (stated === undefined) return [];
  const range =
    rounding === "month"
      ? monthlyAmountRange(row.monthlyBaseFen, row.months, rateBp)
      : rowAmountRange(row.monthlyBaseFen, row.months, rateBp);
  if (inRange(stated, range)) return [];
  const what = field === "creditedFen" ? "记账金额" : "记账金额中个人缴费";
  const message =
    `第 ${i + 1} 行${what}应为月缴费基数 ${formatFen(row.monthlyBaseFen)} × ${row.months} 个月 × ${rateBp / 100}%` +
    `（${rounding === "month" ? "按月" : "按行"}舍入）= ${formatRange(range)}，实为 ${formatFen(stated)}`;
  return [problem("CREDIT_MISMATCH", rowPath(i, field), message)];
}
