import { addDays, toShanghaiDate, type Calendar, type EmergencyWindow, type LocalDate } from "../calendar/index.ts";
import { CaseError } from "./errors.ts";
import { toPriority } from "./facts.ts";
import { isOpen, type CaseState, type Deadline, type OpenCase, type Step } from "./types.ts";

/** How long each step may take, in working days. */
export interface DeadlinePolicy {
  calendar: Calendar;
  /** 66号 art 8: 15 working days per step — the legal deadline, for priority cases too. */
  stepWorkingDays: number;
  /** Green channel: an internal target reported beside the legal deadline (no rule shortens the latter). */
  priorityTargetWorkingDays: number;
}

/** What a step's clock needs to start. */
export interface DeadlineStart {
  step: Step;
  owedBy: string;
  at: Date;
  /** A priority case's step also gets the internal target. */
  priority: boolean;
  /** Windows declared on the case, on top of those configured in the calendar. */
  windows: readonly EmergencyWindow[];
}

/** Checks a policy once, when the decider is built. */
export function checkPolicy(policy: DeadlinePolicy): void {
  const ok = (n: number) => Number.isInteger(n) && n > 0;
  if (
    !ok(policy.stepWorkingDays) ||
    !ok(policy.priorityTargetWorkingDays) ||
    policy.priorityTargetWorkingDays > policy.stepWorkingDays
  ) {
    throw new CaseError(
      "CASE_POLICY_INVALID",
      `working days must be positive integers with the priority target ≤ step (got ${policy.stepWorkingDays}/${policy.priorityTargetWorkingDays})`,
    );
  }
}

/** Windows that pause step clocks (the default); a window set not to still defers contributions. */
function pausing(windows: readonly EmergencyWindow[]): EmergencyWindow[] {
  return windows.filter((w) => w.pausesStepClocks !== false);
}

/**
 * Computes a step's deadline from the date it started: n working days (start day not counted), paused
 * inside the pausing emergency windows of the owing agency's region; when the counted span overlaps
 * one, the step is emergency-deferred. A target, when given, counts from the same start the same way.
 */
function computeDeadline(
  policy: DeadlinePolicy,
  base: Pick<Deadline, "step" | "owedBy" | "startedOn" | "workingDays">,
  windows: readonly EmergencyWindow[],
  targetWorkingDays?: number,
): Deadline {
  const calendar = policy.calendar.withEmergencyWindows(windows);
  const region = { region: base.owedBy };
  const clock = calendar.addWorkingDays(base.startedOn, base.workingDays, region);
  const covering = pausing(calendar.windowsCovering(addDays(base.startedOn, 1), clock.due, region));
  // Object.assign, not spreads followed by members (a hidden class per literal in Node 20: docs/ingest-performance.md);
  // same member order (stored as JSON).
  const deadline: Deadline = Object.assign({}, base, {
    due: clock.due,
    calendarCoverage: clock.calendarCoverage,
    emergencyDeferred: covering.length > 0,
  });
  if (targetWorkingDays === undefined) return deadline;
  const target = calendar.addWorkingDays(base.startedOn, targetWorkingDays, region);
  return Object.assign(deadline, { target: { workingDays: targetWorkingDays, due: target.due } });
}

/** Starts a step's clock on the Asia/Shanghai date of the triggering event. */
export function startDeadline(policy: DeadlinePolicy, start: DeadlineStart): Deadline {
  const base = {
    step: start.step,
    owedBy: start.owedBy,
    startedOn: toShanghaiDate(start.at),
    workingDays: policy.stepWorkingDays,
  };
  return computeDeadline(policy, base, start.windows, start.priority ? policy.priorityTargetWorkingDays : undefined);
}

/** The next step's clock of an open case, with its priority and its declared emergency windows. */
export function nextDeadline(policy: DeadlinePolicy, state: OpenCase, step: Step, owedBy: string, at: Date): Deadline {
  const priority = toPriority(state.flags.priority) !== null;
  return startDeadline(policy, { step, owedBy, at, priority, windows: state.emergencyWindows });
}

/** Recomputes an open deadline after more emergency windows were declared. */
export function recomputeDeadline(
  policy: DeadlinePolicy,
  deadline: Deadline,
  windows: readonly EmergencyWindow[],
): Deadline {
  const { step, owedBy, startedOn, workingDays } = deadline;
  return computeDeadline(policy, { step, owedBy, startedOn, workingDays }, windows, deadline.target?.workingDays);
}

/**
 * Upcasts a state stored before issue 11: a priority case's open step then ran on the short priority term
 * (5 WD) with no target, and drizzle/0003 rewrote only the flags. Its legal deadline is recomputed from the
 * same start with the statutory step term, and the internal target added. Anything else is returned as is.
 */
export function upgradeState(state: CaseState, policy: DeadlinePolicy): CaseState {
  if (!isOpen(state) || toPriority(state.flags.priority) === null) return state;
  const { deadline } = state;
  if (deadline.target !== undefined || deadline.workingDays === policy.stepWorkingDays) return state;
  const { step, owedBy, startedOn } = deadline;
  const base = { step, owedBy, startedOn, workingDays: policy.stepWorkingDays };
  const upgraded = computeDeadline(policy, base, state.emergencyWindows, policy.priorityTargetWorkingDays);
  const emergencyDeferred = state.flags.emergencyDeferred || upgraded.emergencyDeferred;
  return { ...state, deadline: upgraded, flags: { ...state.flags, emergencyDeferred } };
}

/** An open deadline as seen at one instant; derived, never stored. */
export interface OpenDeadline extends Deadline {
  /** Past the legal due date. */
  overdue: boolean;
  /** Past the internal target (false when the step has none). */
  targetMissed: boolean;
}

/** A deadline ends at 24:00 of its last day (民法典 art 203): late from the next Shanghai date on. */
const isPast = (due: LocalDate, now: Date) => toShanghaiDate(now) > due;

/** The open step's deadline at `now` (none for empty or closed cases). */
export function openDeadlines(state: CaseState, now: Date): OpenDeadline[] {
  if (!isOpen(state)) return [];
  const { deadline } = state;
  // States stored before issue 11 may still carry the dropped make-up date: it is not shown.
  const { makeUpBy: _dropped, ...current } = deadline as Deadline & { makeUpBy?: string };
  const targetMissed = deadline.target !== undefined && isPast(deadline.target.due, now);
  return [{ ...current, overdue: isPast(deadline.due, now), targetMissed }];
}

/** Whether any open step of the case is past its deadline at `now`. */
export function isOverdue(state: CaseState, now: Date): boolean {
  return openDeadlines(state, now).some((d) => d.overdue);
}
