import { addDays, type Calendar, type LocalDate, toShanghaiDate } from "../domain/calendar/index.ts";
import { type CaseState, type Deadline, isOpen } from "../domain/transfer-case/index.ts";
import type { ReminderRecord } from "./ports.ts";

/**
 * When the reminder pass next needs to look at an open case (`cases.remind_at`): the first Asia/Shanghai midnight
 * at which one of its reminders not yet sent falls due — `overdue` the day after the due date (民法典 art 203, as
 * domain/transfer-case/deadlines.ts), `due-soon` the first day whose 3-working-day horizon reaches it. Dates change
 * only at midnight, so between two such moments a look could find nothing new.
 *
 * No later than RECHECK_DAYS after the look even so: the due-soon horizon is computed on today's calendar, and
 * holiday data updated with a new release (the State Council publishes next year's in November) is then applied
 * within a week. A recheck keeps the look's time of day, so rechecks stay spread over the day instead of joining
 * the real due moments at midnight. The overdue moment needs no calendar (the due date is stored with the step).
 * Still weekly when every reminder of every open step has been sent: a case write (a new step, a recomputed due date)
 * schedules its own look, and the weekly one bounds what a write that did not — by a gateway of an earlier version
 * during a rolling upgrade or after a rollback — can hold up: a new step's reminders fall due weeks after it starts.
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

/** What the schedule reads of an open step's deadline. */
export type StepDue = Pick<Deadline, "step" | "owedBy" | "due">;

export function nextReminderAt(
  open: readonly StepDue[],
  sent: readonly Pick<ReminderRecord, "step" | "kind" | "due">[],
  now: Date,
  isDueSoon: DueSoonOn,
): string {
  const today = toShanghaiDate(now);
  const recheck = new Date(now.getTime() + RECHECK_DAYS * 86_400_000).toISOString();
  let next = recheck;
  for (const d of open) {
    const has = (kind: ReminderRecord["kind"]) =>
      sent.some((r) => r.step === d.step && r.kind === kind && r.due === d.due);
    if (has("overdue")) continue;
    const soonPending = !has("due-soon");
    const fallsDue = (on: LocalDate) => on > d.due || (soonPending && isDueSoon(d.due, d.owedBy, on));
    let at = recheck;
    // Both terms only turn true as the date advances: if nothing falls due on the last midnight before the recheck,
    // nothing does before it (one calendar question instead of seven, on every case write).
    if (fallsDue(addDays(today, RECHECK_DAYS)))
      for (let day = 1; day <= RECHECK_DAYS; day++) {
        const on = addDays(today, day);
        if (fallsDue(on)) {
          at = shanghaiMidnight(on);
          break;
        }
      }
    if (at < next) next = at;
  }
  return next;
}

/**
 * The look a case write schedules (usecases/cases/handle-command.ts), with the state before and after it: none for a
 * case that is not open; `undefined` — the stored look stands — when the open step's deadline is the one it had (a
 * look was scheduled for it, and later looks moved it on); else now if a reminder is due already, or the first
 * moment one falls due. Reminders of the due date may have been sent before the write; a look that finds them
 * sent only schedules the next, so none is read here (the write path stays free of reads).
 */
export function lookAfterWrite(
  before: CaseState,
  after: CaseState,
  now: Date,
  isDueSoon: DueSoonOn,
): string | null | undefined {
  if (!isOpen(after)) return null;
  const d = after.deadline;
  if (isOpen(before) && sameStepDue(before.deadline, d)) return undefined;
  const today = toShanghaiDate(now);
  // Late from the day after the due date (domain/transfer-case/deadlines.ts isPast).
  if (today > d.due || isDueSoon(d.due, d.owedBy, today)) return now.toISOString();
  return nextReminderAt([d], [], now, isDueSoon);
}

const sameStepDue = (a: StepDue, b: StepDue) => a.step === b.step && a.due === b.due && a.owedBy === b.owedBy;

/** 00:00 of a date in Asia/Shanghai (UTC+8, no daylight saving since 1991) as an ISO instant. */
export function shanghaiMidnight(date: LocalDate): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}
