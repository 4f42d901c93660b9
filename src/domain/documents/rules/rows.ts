import { pointer } from "../problems.ts";
import type { ContributionRow, Document, DocumentOf, YearMonth } from "../types.ts";

/**
 * The documents that carry 信息表（二） contribution rows: the insurance record and the contribution voucher
 * (参保缴费凭证, 66号 art 3). The row rules are written once against this view, so both get the same checks.
 */
export type RowDocument = DocumentOf<"insurance-record"> | DocumentOf<"contribution-voucher">;

export function isRowDocument(doc: Document): doc is RowDocument {
  return doc.type === "insurance-record" || doc.type === "contribution-voucher";
}

/** A row with its index in the document, for pointers. */
export interface IndexedRow {
  row: ContributionRow;
  i: number;
}

/**
 * Contribution rows in time order (by start month; ties keep document order), each with its index in the
 * document, for the period rules. Interest-only rows (months 0) paid nothing, so they are left out.
 */
export function rowsInOrder(doc: RowDocument): IndexedRow[] {
  return doc.body.contributions
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => !isInterestOnly(row))
    .sort((a, b) => a.row.startMonth.localeCompare(b.row.startMonth) || a.i - b.i);
}

/** A row of a year without contributions that only records the year's interest and balance (months 0). */
export function isInterestOnly(row: ContributionRow): boolean {
  return row.months === 0;
}

/**
 * The year a row was credited to the account: the year of `paidOn` when given (a make-up row for 2022 paid in
 * 2024 is credited in 2024), else the row's own year. The rows are listed in the order they were credited.
 */
export function creditYear(row: ContributionRow): number {
  return Number((row.paidOn ?? String(row.year)).slice(0, 4));
}

export const rowPath = (i: number, field?: keyof ContributionRow): string =>
  field ? pointer("body", "contributions", i, field) : pointer("body", "contributions", i);

/** The province (first two GB/T 2260 digits) whose rows are "local": the sender's, or the voucher's issuer's. */
export function sendingProvince(doc: RowDocument): string {
  return doc.type === "contribution-voucher" ? doc.body.issuingAgency.divisionCode.slice(0, 2) : doc.from.slice(0, 2);
}

/** The stated local period and its field: 在本地缴费起止时间 (record) or 参保起止时间 (voucher). */
export function statedPeriod(doc: RowDocument): {
  field: "localPeriod" | "insuredPeriod";
  period: { startMonth: YearMonth; endMonth: YearMonth };
} {
  return doc.type === "contribution-voucher"
    ? { field: "insuredPeriod", period: doc.body.insuredPeriod }
    : { field: "localPeriod", period: doc.body.localPeriod };
}

/** Months as a single integer (year × 12 + month − 1) so spans compare and subtract exactly. */
export function monthIndex(yearMonth: string): number {
  return Number(yearMonth.slice(0, 4)) * 12 + Number(yearMonth.slice(5, 7)) - 1;
}
