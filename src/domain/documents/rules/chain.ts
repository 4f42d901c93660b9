import type { ContributionRow } from "../types.ts";

/** The balances the rows call for, row by row in the order listed (the order the account was credited). */
export interface RunningBalance {
  /** 至本年末账户累计储存额: every credit and interest up to and including this row. */
  total: bigint;
  /** Its personal part; undefined where a row before or this one leaves it unknown. */
  personal: bigint | undefined;
}

/**
 * The running sums of the rows (信息表（二）: balance = previous balance + credit + interest), recomputed from
 * the credits and interest alone, never from a stated balance: one mistyped balance then disagrees with its
 * own row only, and the figures of 信息表（一） read off the recomputed chain are not thrown off by it.
 * The personal part runs where each row gives its personal credit and interest (a missing personal interest
 * is 0 only when the row's interest is 0); after a row that does not, it resumes from that row's stated
 * personal balance when given.
 */
export function runningBalances(rows: readonly ContributionRow[]): RunningBalance[] {
  const sums: RunningBalance[] = [];
  let total = 0n;
  let personal: bigint | undefined = 0n;
  for (const row of rows) {
    total += BigInt(row.creditedFen) + BigInt(row.interestFen);
    const own = personalIncrement(row);
    personal = personal === undefined || own === undefined ? undefined : personal + own;
    sums.push({ total, personal });
    if (personal === undefined && row.balancePersonalFen !== undefined) personal = BigInt(row.balancePersonalFen);
  }
  return sums;
}

function personalIncrement(row: ContributionRow): bigint | undefined {
  if (row.creditedPersonalFen === undefined) return undefined;
  const interest = row.interestPersonalFen ?? (row.interestFen === 0 ? 0 : undefined);
  return interest === undefined ? undefined : BigInt(row.creditedPersonalFen) + BigInt(interest);
}
