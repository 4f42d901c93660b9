import { checkIdNumber } from "../../identifiers/index.ts";
import { pointer, problem, type Problem } from "../problems.ts";
import type { ContributionRow, Document } from "../types.ts";
import type { RuleContext } from "./context.ts";
import {
  isInterestOnly,
  isRowDocument,
  monthIndex,
  rowPath,
  rowsInOrder,
  statedPeriod,
  type IndexedRow,
  type RowDocument,
} from "./rows.ts";

/**
 * Each row of 信息表（二） is one year or a segment within it: start ≤ end, both in `year`,
 * and no more paid months than the span holds.
 */
export function checkRowPeriods(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  return doc.body.contributions.flatMap((row, i) => {
    const reason = rowInconsistency(row);
    return reason ? [problem("PERIOD_INVALID", rowPath(i), `第 ${i + 1} 行缴费记录${reason}`)] : [];
  });
}

function rowInconsistency(row: ContributionRow): string | undefined {
  const span = monthIndex(row.endMonth) - monthIndex(row.startMonth) + 1;
  if (span < 1) return `终止年月 ${row.endMonth} 早于起始年月 ${row.startMonth}`;
  if (!row.startMonth.startsWith(`${row.year}-`) || !row.endMonth.startsWith(`${row.year}-`)) {
    return `起止年月 ${row.startMonth}–${row.endMonth} 不在年份 ${row.year} 内（跨年请分行填写）`;
  }
  if (row.months > span) return `缴费月数 ${row.months} 超过起止年月所含的 ${span} 个月`;
  return undefined;
}

/**
 * No month may be paid twice inside one record (重复缴费 is resolved before transfer,
 * docs/references.md "Transfer forms and amounts"). An interest-only row (months 0) records the interest of a
 * year without contributions, so no other row may share its year.
 */
export function checkOverlaps(doc: Document): Problem[] {
  if (!isRowDocument(doc)) return [];
  const found: Problem[] = interestOnlyOverlaps(doc.body.contributions);
  let previous: IndexedRow | undefined;
  for (const current of rowsInOrder(doc)) {
    if (previous && monthIndex(current.row.startMonth) <= monthIndex(previous.row.endMonth)) {
      const message = `第 ${current.i + 1} 行（${current.row.startMonth}–${current.row.endMonth}）与第 ${previous.i + 1} 行（${previous.row.startMonth}–${previous.row.endMonth}）缴费时段重叠`;
      found.push(problem("PERIOD_OVERLAP", rowPath(current.i), message));
    }
    if (!previous || current.row.endMonth > previous.row.endMonth) previous = current;
  }
  return found;
}

function interestOnlyOverlaps(rows: readonly ContributionRow[]): Problem[] {
  return rows.flatMap((row, i) => {
    if (!isInterestOnly(row)) return [];
    const other = rows.findIndex((r, k) => k !== i && r.year === row.year);
    if (other < 0) return [];
    const message = `第 ${i + 1} 行为 ${row.year} 年无缴费的计息行，该年不应再有其他行（第 ${other + 1} 行）`;
    return [problem("PERIOD_OVERLAP", rowPath(i), message)];
  });
}

/** Contributions start no earlier than the month of the 16th birthday (劳动法 art 15: minimum working age). */
export function checkMinimumAge(doc: Document, ctx: RuleContext): Problem[] {
  if (!isRowDocument(doc)) return [];
  const birthDate = birthDateOf(doc, ctx);
  if (birthDate === undefined) return [];
  const first = `${String(Number(birthDate.slice(0, 4)) + 16).padStart(4, "0")}-${birthDate.slice(5, 7)}`;
  return doc.body.contributions.flatMap((row, i) =>
    row.startMonth < first && !isInterestOnly(row)
      ? [
          problem(
            "PERIOD_BEFORE_AGE_16",
            rowPath(i, "startMonth"),
            `第 ${i + 1} 行缴费起始年月 ${row.startMonth} 早于参保人员年满 16 周岁的 ${first}`,
          ),
        ]
      : [],
  );
}

/** The record states the birth date; a voucher has it only in its 公民身份号码 (none when that is invalid). */
function birthDateOf(doc: RowDocument, ctx: RuleContext): string | undefined {
  if (doc.type === "insurance-record") return doc.body.person.birthDate;
  const verdict = checkIdNumber(doc.body.person.idNumber, { today: ctx.today });
  return verdict.ok ? verdict.birthDate : undefined;
}

/** Nothing can have been paid after the current month (Asia/Shanghai) of ctx.now. */
export function checkFuturePeriods(doc: Document, ctx: RuleContext): Problem[] {
  if (!isRowDocument(doc)) return [];
  const found = doc.body.contributions.flatMap((row, i) =>
    row.endMonth > ctx.currentMonth
      ? [
          problem(
            "PERIOD_IN_FUTURE",
            rowPath(i, "endMonth"),
            `第 ${i + 1} 行缴费终止年月 ${row.endMonth} 晚于当前月份 ${ctx.currentMonth}`,
          ),
        ]
      : [],
  );
  const { field, period } = statedPeriod(doc);
  if (period.endMonth > ctx.currentMonth) {
    const message = `缴费终止时间 ${period.endMonth} 晚于当前月份 ${ctx.currentMonth}`;
    found.push(problem("PERIOD_IN_FUTURE", pointer("body", field, "endMonth"), message));
  }
  return found;
}

/**
 * A record lists what the account held at transfer (信息表（二）): no row may end after the month of its
 * transferDate; later months are paid where the person goes. A row also in the future is reported once, as
 * PERIOD_IN_FUTURE.
 */
export function checkRowsBeforeTransfer(doc: Document, ctx: RuleContext): Problem[] {
  if (doc.type !== "insurance-record") return [];
  const month = doc.body.transferDate.slice(0, 7);
  return doc.body.contributions.flatMap((row, i) =>
    row.endMonth > month && row.endMonth <= ctx.currentMonth
      ? [
          problem(
            "PERIOD_AFTER_TRANSFER",
            rowPath(i, "endMonth"),
            `第 ${i + 1} 行缴费终止年月 ${row.endMonth} 晚于转移日期所在月份 ${month}`,
          ),
        ]
      : [],
  );
}
