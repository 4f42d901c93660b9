import { addMonths, laterOf, regionApplies, type EmergencyWindow } from "../../calendar/index.ts";
import { problem, type Problem } from "../problems.ts";
import type { ContributionRow, Document } from "../types.ts";
import type { RuleContext } from "./context.ts";
import { isRowDocument, rowPath } from "./rows.ts";

/** 人社厅明电〔2020〕7号: contributions deferred by a declared emergency are made up within 3 months after it. */
const MAKE_UP_MONTHS = 3;

/**
 * A row marked emergencyDeferred (在系统内标识) is a normal contribution paid late because of a declared
 * emergency: it stays kind "normal" (not 补缴), states when it was paid, lies within a window declared for
 * its 参保地, and was paid by the window's end + 3 months (民法典 art 202: the corresponding day, or the
 * month's last day). Windows come from the caller's calendar; without them a deferral cannot be proven.
 */
export function checkEmergencyDeferrals(doc: Document, ctx: RuleContext): Problem[] {
  if (!isRowDocument(doc)) return [];
  return doc.body.contributions.flatMap((row, i) =>
    row.emergencyDeferred === true ? deferralProblems(row, i, ctx.emergencyWindows) : [],
  );
}

function deferralProblems(row: ContributionRow, i: number, windows: readonly EmergencyWindow[]): Problem[] {
  const found: Problem[] = [];
  const at = `第 ${i + 1} 行（${row.startMonth}–${row.endMonth}）应急延缴`;
  if (row.kind !== "normal") {
    found.push(
      problem("EMERGENCY_DEFERRAL_MAKE_UP", rowPath(i, "kind"), `${at}视同正常缴费，缴费类型应为正常缴费而非补缴`),
    );
  }
  if (row.paidOn === undefined) {
    found.push(problem("EMERGENCY_DEFERRAL_UNDATED", rowPath(i), `${at}须填写缴费到账日期`));
  } else if (row.paidOn.slice(0, 7) < row.startMonth) {
    // A payment before the row's first month is no deferral: the date cannot be the deferred payment's.
    const message = `${at}，缴费到账日期 ${row.paidOn} 早于本行起始年月 ${row.startMonth}`;
    found.push(problem("EMERGENCY_DEFERRAL_UNDATED", rowPath(i, "paidOn"), message));
  }
  const covering = windows.filter((w) => covers(w, row));
  if (covering.length === 0) {
    const message = `${at}，但所在参保地 ${row.divisionCode} 没有覆盖该时段的已宣布应急期`;
    return [...found, problem("EMERGENCY_DEFERRAL_NO_WINDOW", rowPath(i, "emergencyDeferred"), message)];
  }
  const deadline = covering.map((w) => addMonths(w.to, MAKE_UP_MONTHS)).reduce(laterOf);
  if (row.paidOn !== undefined && row.paidOn > deadline) {
    const message = `${at}应于应急期结束后三个月内（截至 ${deadline}）缴纳，实际到账 ${row.paidOn}，逾期不予认可`;
    found.push(problem("EMERGENCY_DEFERRAL_LATE", rowPath(i, "paidOn"), message));
  }
  return found;
}

/** The window is declared for the row's 参保地 and its months hold every month of the row. */
function covers(window: EmergencyWindow, row: ContributionRow): boolean {
  return (
    regionApplies(window.region, row.divisionCode) &&
    window.from.slice(0, 7) <= row.startMonth &&
    row.endMonth <= window.to.slice(0, 7)
  );
}
