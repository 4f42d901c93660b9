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

/** Rows in time order (by start month; ties keep document order), each with its index in the document. */
export function rowsInOrder(doc: RowDocument): IndexedRow[] {
  return doc.body.contributions
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.startMonth.localeCompare(b.row.startMonth) || a.i - b.i);
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
