import { pointer, problem, type Problem } from "../problems.ts";
import type { Document } from "../types.ts";
import { isRowDocument, rowsInOrder, sendingProvince, statedPeriod, type RowDocument } from "./rows.ts";

/**
 * 在本地实际缴费月数 / 累计缴费月数 is what the rows of the sending province add up to: rows of other places
 * (参保地 of an earlier transfer) are listed but were not paid here. Emergency-deferred months count as
 * normal months (人社厅明电〔2020〕7号) and make-up months count once paid, so every local row counts.
 */
export function checkPaidMonths(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  const local = localRows(doc);
  const months = local.reduce((sum, row) => sum + row.months, 0);
  if (doc.body.paidMonths === months) return [];
  const message = `本地实际缴费月数应为本省（${sendingProvince(doc)}）各行缴费月数之和 ${months}，实为 ${doc.body.paidMonths}`;
  return [problem("PAID_MONTHS_MISMATCH", pointer("body", "paidMonths"), message)];
}

/** 在本地缴费起止时间 / 参保起止时间: the first start and the last end among the sending province's rows. */
export function checkLocalPeriod(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  const local = localRows(doc);
  if (local.length === 0) return [];
  // Rows come in time order, so the first starts earliest; the latest end needs a look at every row.
  const start = local[0]!.startMonth;
  const end = local
    .map((row) => row.endMonth)
    .sort()
    .at(-1)!;
  const { field, period } = statedPeriod(doc);
  const found: Problem[] = [];
  if (period.startMonth !== start) {
    const message = `本地缴费起始时间应为本省各行最早的起始年月 ${start}，实为 ${period.startMonth}`;
    found.push(problem("LOCAL_PERIOD_MISMATCH", pointer("body", field, "startMonth"), message));
  }
  if (period.endMonth !== end) {
    const message = `本地缴费终止时间应为本省各行最晚的终止年月 ${end}，实为 ${period.endMonth}`;
    found.push(problem("LOCAL_PERIOD_MISMATCH", pointer("body", field, "endMonth"), message));
  }
  return found;
}

function localRows(doc: RowDocument) {
  const province = sendingProvince(doc);
  return rowsInOrder(doc)
    .map(({ row }) => row)
    .filter((row) => row.divisionCode.startsWith(province));
}
