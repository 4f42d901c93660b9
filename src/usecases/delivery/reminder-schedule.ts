import { addDays, type Calendar, type LocalDate, toShanghaiDate } from "../../domain/calendar/index.ts";
import type { OpenDeadline } from "../../domain/transfer-case/index.ts";
import type { ReminderRecord } from "../ports.ts";

/**
 * When the reminder pass next needs to look at an open case (`cases.remind_at`): the first Asia/Shanghai midnight
 * at which one of its reminders not yet sent falls due — `overdue` the day after the due date (民法典 art 203, as
 * domain/transfer-case/deadlines.ts), `due-soon` the first day whose 3-working-day horizon reaches it. Dates change
 * only at midnight, so between two such moments a look could find nothing new.
 *
 * No later than RECHECK_DAYS ahead even so: the due-soon horizon is computed on today's calendar, and holiday data
 * updated with a new release (the State Council publishes next year's in November) is then applied within a week.
 * The overdue moment needs no calendar (the due date is stored with the step). Null when every reminder of every
 * open step has been sent: only a case write (a new step, a recomputed due date) brings new ones, and a written open
 * case is looked at anew (storage/write-sql.ts).
 */
export const RECHECK_DAYS = 7;

/** Reminders look this many working days ahead (issue 5 item 5). */
export const DUE_SOON_WORKING_DAYS = 3;

/** Whether a step due on `due`, owed by `owedBy`, counts as due soon on the date `on`. */
export type DueSoonOn = (due: LocalDate, owedBy: string, on: LocalDate) => boolean;

/** Due within the next 3 working days of the owing agency's calendar, counted from `on` (an Asia/Shanghai date). */
export function dueSoonOn(calendar: Pick<Calendar, "addWorkingDays">): DueSoonOn {
  return (due, region, on) => due <= calendar.addWorkingDays(on, DUE_SOON_WORKING_DAYS, { region }).due;
}

export function nextReminderAt(
  open: readonly OpenDeadline[],
  sent: readonly Pick<ReminderRecord, "step" | "kind" | "due">[],
  now: Date,
  isDueSoon: DueSoonOn,
): string | null {
  const today = toShanghaiDate(now);
  let next: LocalDate | undefined;
  for (const d of open) {
    const has = (kind: ReminderRecord["kind"]) =>
      sent.some((r) => r.step === d.step && r.kind === kind && r.due === d.due);
    if (has("overdue")) continue;
    const soonPending = !has("due-soon");
    let at = addDays(today, RECHECK_DAYS);
    for (let day = 1; day < RECHECK_DAYS; day++) {
      const on = addDays(today, day);
      if (on > d.due || (soonPending && isDueSoon(d.due, d.owedBy, on))) {
        at = on;
        break;
      }
    }
    if (next === undefined || at < next) next = at;
  }
  return next === undefined ? null : shanghaiMidnight(next);
}

/** 00:00 of a date in Asia/Shanghai (UTC+8, no daylight saving since 1991) as an ISO instant. */
export function shanghaiMidnight(date: LocalDate): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}
