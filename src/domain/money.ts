/**
 * Money is integer fen (分) everywhere (docs/architecture.md "House style in brief", issue 3): no floats
 * ever touch an amount.
 * Products that could leave the safe-integer range go through BigInt.
 */
export type Fen = number;

/** Pooled fund (统筹基金) moves with contributions from 1998-01-01 on (66号 art 4). */
export const POOLED_FUND_FROM_YEAR = 1998;

/** Pooled fund rate: 12 % of the actual monthly contribution base (66号 art 4), as a fraction 12/100. */
const POOLED_NUMERATOR = 12n;
const POOLED_DENOMINATOR = 100n;

/** Whether a value is a whole, safe number of fen. */
export function isFen(value: unknown): value is Fen {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/**
 * n / d rounded half up (0.5 → 1), for non-negative n and positive d, in exact integer arithmetic.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return remainder * 2n >= denominator ? quotient + 1n : quotient;
}

/**
 * The pooled fund one contribution row moves: round-half-up(base × months × 12 / 100) fen
 * (issue 3 item 3; the rounding rule of the sending province is not published, half-up is ours).
 */
export function pooledFundOfRow(monthlyBaseFen: Fen, months: number): Fen {
  const numerator = BigInt(monthlyBaseFen) * BigInt(months) * POOLED_NUMERATOR;
  return Number(divideRoundHalfUp(numerator, POOLED_DENOMINATOR));
}

/** Sum of fen amounts, exact (BigInt) and checked back into the safe range. */
export function sumFen(amounts: readonly Fen[]): Fen {
  const total = amounts.reduce((acc, a) => acc + BigInt(a), 0n);
  return Number(total);
}

/** "1234567" fen → "12,345.67 元", for messages read by agency staff. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? "-" : "";
  const digits = String(Math.abs(fen)).padStart(3, "0");
  const yuan = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${yuan}.${digits.slice(-2)} 元`;
}
