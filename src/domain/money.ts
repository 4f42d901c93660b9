/**
 * Money is integer fen (分) everywhere (docs/architecture.md "House style in brief", issue 3): no floats
 * ever touch an amount.
 * Products that could leave the safe-integer range go through BigInt.
 */
export type Fen = number;

/** Pooled fund (统筹基金) moves with contributions from 1998-01-01 on (66号 art 4). */
export const POOLED_FUND_FROM_YEAR = 1998;

/** Pooled fund rate: 12 % of the actual monthly contribution base (66号 art 4), in basis points. */
export const POOLED_FUND_RATE_BP = 1200;

/** Basis points per whole: rates are integers out of 10 000 (8 % = 800). */
const BP = 10_000n;

/**
 * The amounts a computation with one rounding step may state, in fen: round-down to round-up of the exact
 * value. An exact value has min = max; rounding by any rule (half-up, half-even, down, up) lands inside.
 */
export interface FenRange {
  min: bigint;
  max: bigint;
}

/** ⌊n / d⌋ and ⌈n / d⌉ for non-negative n and positive d, in exact integer arithmetic. */
function divideBounds(numerator: bigint, denominator: bigint): FenRange {
  const min = numerator / denominator;
  return { min, max: numerator % denominator === 0n ? min : min + 1n };
}

/** base × months × rate, rounded once for the whole row (信息表（二） rounding "row"). */
export function rowAmountRange(monthlyBaseFen: Fen, months: number, rateBp: number): FenRange {
  return divideBounds(BigInt(monthlyBaseFen) * BigInt(months) * BigInt(rateBp), BP);
}

/** months × (base × rate rounded each month) (rounding "month"): each month may round either way. */
export function monthlyAmountRange(monthlyBaseFen: Fen, months: number, rateBp: number): FenRange {
  const month = divideBounds(BigInt(monthlyBaseFen) * BigInt(rateBp), BP);
  return { min: month.min * BigInt(months), max: month.max * BigInt(months) };
}

/** The range of a sum of independently rounded amounts: Σ round-down to Σ round-up. */
export function sumRanges(ranges: readonly FenRange[]): FenRange {
  return ranges.reduce((acc, r) => ({ min: acc.min + r.min, max: acc.max + r.max }), { min: 0n, max: 0n });
}

export function inRange(amount: Fen, range: FenRange): boolean {
  const value = BigInt(amount);
  return range.min <= value && value <= range.max;
}

/**
 * The pooled-fund rate of one row (66号 art 4; 人社部发〔2009〕187号 for 临时基本养老保险缴费账户): 12 % for a
 * general account; a temporary account moves the employer's actual rate when above 12 %, 12 % otherwise.
 */
export function pooledFundRateBp(accountType: "general" | "temporary", employerRateBp: number): number {
  return accountType === "temporary" ? Math.max(employerRateBp, POOLED_FUND_RATE_BP) : POOLED_FUND_RATE_BP;
}

/**
 * Sum of fen amounts, exact (BigInt) and checked back into the safe range. The schemas bound every amount far
 * below it, so a RangeError here is a bug, not bad input.
 */
export function sumFen(amounts: readonly Fen[]): Fen {
  const total = amounts.reduce((acc, a) => acc + BigInt(a), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`sum of fen ${total} is outside the safe-integer range`);
  }
  return Number(total);
}

/** "1234567" fen → "12,345.67 元", for messages read by agency staff. */
export function formatFen(fen: Fen | bigint): string {
  const sign = fen < 0 ? "-" : "";
  const digits = String(fen < 0 ? -fen : fen).padStart(3, "0");
  const yuan = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${yuan}.${digits.slice(-2)} 元`;
}

/** A range for messages: one amount when exact, "a–b" otherwise. */
export function formatRange(range: FenRange): string {
  return range.min === range.max ? formatFen(range.min) : `${formatFen(range.min)}–${formatFen(range.max)}`;
}
