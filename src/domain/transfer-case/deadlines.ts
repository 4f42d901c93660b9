import {
  addDays,
  latestMakeUpDeadline,
  laterOf,
  toShanghaiDate,
  type Calendar,
  type EmergencyWindow,
  type LocalDate,
} from "../calendar/index.ts";
import { CaseError } from "./errors.ts";
import { isOpen, type CaseState, type Deadline, type Step } from "./types.ts";

/** How long each step may take, in working days. */
export interface DeadlinePolicy {
  calendar: Calendar;
  /** 66号 art 8: 15 working days per step. */
  stepWorkingDays: number;
  /** Green channel (priority cases): a shorter, configurable clock. */
  priorityWorkingDays: number;
}

/** What a step's clock needs to start. */
export interface DeadlineStart {
  step: Step;
  owedBy: string;
  at: Date;
  priority: boolean;
  /** Windows declared on the case, on top of those configured in the calendar. */
  windows: readonly EmergencyWindow[];
}

/** Checks a policy once, when the decider is built. */
export function checkPolicy(policy: DeadlinePolicy): void {
  const ok = (n: number) => Number.isInteger(n) && n > 0;
  if (
    !ok(policy.stepWorkingDays) ||
    !ok(policy.priorityWorkingDays) ||
    policy.priorityWorkingDays > policy.stepWorkingDays
  ) {
    throw new CaseError(
      "CASE_POLICY_INVALID",
      `working days must be positive integers with priority ≤ step (got ${policy.stepWorkingDays}/${policy.priorityWorkingDays})`,
    );
  }
}

/**
 * Computes a step's deadline from the date it started: n working days (start day not counted),
 * paused inside emergency windows of the owing agency's region. When the counted span overlaps
 * a window, the step is emergency-deferred and also gets the make-up date (window end + 3 months).
 */
function computeDeadline(
  policy: DeadlinePolicy,
  step: Step,
  owedBy: string,
  startedOn: LocalDate,
  workingDays: number,
  windows: readonly EmergencyWindow[],
): Deadline {
  const calendar = policy.calendar.withEmergencyWindows(windows);
  const clock = calendar.addWorkingDays(startedOn, workingDays, { region: owedBy });
  const covering = calendar.windowsCovering(addDays(startedOn, 1), clock.due, { region: owedBy });
  const makeUp = latestMakeUpDeadline(calendar, covering);
  const extrapolated = clock.calendarCoverage === "extrapolated" || makeUp?.calendarCoverage === "extrapolated";
  const deadline: Deadline = {
    step,
    owedBy,
    startedOn,
    workingDays,
    due: clock.due,
    calendarCoverage: extrapolated ? "extrapolated" : "official",
    emergencyDeferred: makeUp !== undefined,
  };
  return makeUp === undefined ? deadline : { ...deadline, makeUpBy: makeUp.due };
}

/** Starts a step's clock on the Asia/Shanghai date of the triggering event. */
export function startDeadline(policy: DeadlinePolicy, start: DeadlineStart): Deadline {
  const workingDays = start.priority ? policy.priorityWorkingDays : policy.stepWorkingDays;
  return computeDeadline(policy, start.step, start.owedBy, toShanghaiDate(start.at), workingDays, start.windows);
}

/** Recomputes an open deadline after more emergency windows were declared. */
export function recomputeDeadline(
  policy: DeadlinePolicy,
  deadline: Deadline,
  windows: readonly EmergencyWindow[],
): Deadline {
  return computeDeadline(policy, deadline.step, deadline.owedBy, deadline.startedOn, deadline.workingDays, windows);
}

/** The last day the step may be done: the clock's due date, or the make-up date if later. */
export function effectiveDue(deadline: Deadline): LocalDate {
  return deadline.makeUpBy === undefined ? deadline.due : laterOf(deadline.due, deadline.makeUpBy);
}

/** An open deadline as seen at one instant; derived, never stored. */
export interface OpenDeadline extends Deadline {
  effectiveDue: LocalDate;
  overdue: boolean;
}

/**
 * The open step's deadline at `now` (none for empty or closed cases). A deadline ends at 24:00
 * of its last day (民法典 art 203), so a step is overdue from the next Shanghai date on.
 */
export function openDeadlines(state: CaseState, now: Date): OpenDeadline[] {
  if (!isOpen(state)) return [];
  const last = effectiveDue(state.deadline);
  return [{ ...state.deadline, effectiveDue: last, overdue: toShanghaiDate(now) > last }];
}

/** Whether any open step of the case is past its deadline at `now`. */
export function isOverdue(state: CaseState, now: Date): boolean {
  return openDeadlines(state, now).some((d) => d.overdue);
}
