import type { Calendar } from "../calendar/index.ts";
import type { CaseCommand } from "./commands.ts";
import { checkPolicy, isOverdue, openDeadlines, upgradeState, type OpenDeadline } from "./deadlines.ts";
import { createDecide } from "./decide.ts";
import type { CaseEvent } from "./events.ts";
import { evolve } from "./evolve.ts";
import type { CaseState } from "./types.ts";

/** The emmett-style decider shape (aesthetics A4). */
export interface Decider<State, Command, Event> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export interface CaseDecider extends Decider<CaseState, CaseCommand, CaseEvent> {
  /** Derived from the deadline and `now`, never stored. */
  isOverdue(state: CaseState, now: Date): boolean;
  openDeadlines(state: CaseState, now: Date): OpenDeadline[];
  /** Folds a stored history into the current state. */
  replay(events: readonly CaseEvent[]): CaseState;
  /** A stored state brought up to this policy (upgradeState): apply to every state read from a store. */
  upgrade(state: CaseState): CaseState;
}

export interface CaseDeciderOptions {
  calendar: Calendar;
  /** 66号 art 8: 15 working days per step. */
  stepWorkingDays?: number;
  /** Green channel: the internal target for priority cases (default 5); the legal deadline stays. */
  priorityTargetWorkingDays?: number;
}

export const STATUTORY_STEP_WORKING_DAYS = 15;
export const DEFAULT_PRIORITY_TARGET_WORKING_DAYS = 5;

/**
 * Builds the transfer case decider for one calendar and deadline policy. Throws
 * `CASE_POLICY_INVALID` for a policy that cannot be right (a target longer than the step).
 */
export function createCaseDecider(options: CaseDeciderOptions): CaseDecider {
  const policy = {
    calendar: options.calendar,
    stepWorkingDays: options.stepWorkingDays ?? STATUTORY_STEP_WORKING_DAYS,
    priorityTargetWorkingDays: options.priorityTargetWorkingDays ?? DEFAULT_PRIORITY_TARGET_WORKING_DAYS,
  };
  checkPolicy(policy);
  const initialState = (): CaseState => ({ status: "empty" });
  return {
    decide: createDecide(policy),
    evolve,
    initialState,
    isOverdue,
    openDeadlines,
    replay: (events) => events.reduce(evolve, initialState()),
    upgrade: (state) => upgradeState(state, policy),
  };
}
