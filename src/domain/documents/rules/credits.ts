import { formatFen, formatRange, inRange, monthlyAmountRange, rowAmountRange, type Fen } from "../../money.ts";
import { problem, type Problem } from "../problems.ts";
import type { ContributionRow, CreditRounding, Document } from "../types.ts";
import { runningBalances } from "./chain.ts";
import { isRowDocument, rowPath } from "./rows.ts";

/**
 * The balance is carried year to year (信息表（二） 至本年末账户累计储存额): each row's balance is the previous
 * balance + its credit + its interest, in the order the rows are listed (the order the account was credited,
 * so a make-up row sits where it was paid). The expected balances are the recomputed running sums, so one
 * mistyped balance is flagged at its own row only. The personal sub-columns chain the same way where known.
 */
export function checkBalanceChain(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  const rows = doc.body.contributions;
  return runningBalances(rows).flatMap(({ total, personal }, i) => {
    const row = rows[i]!;
    const found: Problem[] = [];
    if (BigInt(row.balanceFen) !== total) found.push(chainProblem(i, "balanceFen", total, row.balanceFen));
    const stated = row.balancePersonalFen;
    if (stated !== undefined && personal !== undefined && BigInt(stated) !== personal) {
      found.push(chainProblem(i, "balancePersonalFen", personal, stated));
    }
    return found;
  });
}

function chainProblem(i: number, field: "balanceFen" | "balancePersonalFen", expected: bigint, stated: Fen): Problem {
  const what = field === "balanceFen" ? "账户累计储存额" : "累计储存额中个人缴费部分";
  const message = `第 ${i + 1} 行${what}应为本行及以前各行记账金额与利息之和 ${formatFen(expected)}，实为 ${formatFen(stated)}`;
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
