import type { CaseEvent, CaseState, Step } from "../../domain/transfer-case/index.ts";
import type { StoredCaseEvent } from "../ports.ts";

/**
 * The employee's timeline (issue 13 item 1): the events of every hosted view of one case, merged into the
 * steps a person understands. Both sides of a transfer may be hosted here, so the twin events of one exchange
 * (the transfer-in side's ContactLetterSent and the transfer-out side's ContactLetterReceived) collapse into
 * one step; the receiving twin wins (信息表已收到 rather than 已发出).
 */
export type TrackStepKind =
  | "accepted"
  | "letter-sent"
  | "record-sent"
  | "record-received"
  | "funds-sent"
  | "funds-received"
  | "discrepancy"
  | "corrected"
  | "completed"
  | "returned"
  | "refused"
  | "cancelled"
  | "deadline-extended";

export interface TrackStep {
  kind: TrackStepKind;
  at: string;
  /** Returns, refusals and discrepancies: the closed reason code (the page words it). */
  reasonCode?: string;
  /** A record or fund transfer that replaces a disputed one. */
  correction?: boolean;
}

/** The milestones still ahead of an open case, in order. */
/** `correction` is no milestone of every case: it is ahead only while a 核对不符 awaits the corrected record or funds. */
export type Milestone = "accepted" | "letter" | "record" | "funds" | "correction" | "completed";

const MILESTONES: readonly Milestone[] = ["accepted", "letter", "record", "funds", "completed"];

/** One event as a step, keyed so the other side's twin lands on the same key; undefined when not shown. */
function stepOf(event: CaseEvent): { key: string; step: TrackStep } | undefined {
  const at = event.at;
  switch (event.type) {
    case "ApplicationRegistered":
      return { key: "accepted", step: { kind: "accepted", at } };
    case "ContactLetterSent":
    case "ContactLetterReceived":
      return { key: `letter:${event.data.documentId}`, step: { kind: "letter-sent", at } };
    case "InsuranceRecordSent":
    case "InsuranceRecordReceived":
    case "FundTransferSent":
    case "FundTransferReceived": {
      const what = event.type.startsWith("Insurance") ? "record" : "funds";
      const kind = `${what}-${event.type.endsWith("Received") ? "received" : "sent"}` as TrackStepKind;
      const correction = event.data.supersedes !== undefined ? { correction: true } : {};
      return { key: `${what}:${event.data.documentId}`, step: { kind, at, ...correction } };
    }
    case "DiscrepancySent":
    case "DiscrepancyReceived":
      return {
        key: `discrepancy:${event.data.documentId}`,
        step: { kind: "discrepancy", at, reasonCode: event.data.reasonCode },
      };
    case "DiscrepancyResolved":
      return { key: `resolved:${event.data.documentId}`, step: { kind: "corrected", at } };
    case "CompletionSent":
    case "CompletionReceived":
      return { key: "completed", step: { kind: "completed", at } };
    case "ReturnSent":
    case "ReturnReceived":
      return { key: "returned", step: { kind: "returned", at, reasonCode: event.data.reasonCode } };
    case "ApplicationRefused":
      return { key: "refused", step: { kind: "refused", at, reasonCode: event.data.reasonCode } };
    case "CaseCancelled":
      return { key: "cancelled", step: { kind: "cancelled", at } };
    case "EmergencyDeclared":
      return { key: `emergency:${at}`, step: { kind: "deadline-extended", at } };
    case "CompletionClockStarted":
      // Record and funds are both in: the funds step already says so.
      return undefined;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Every view's events merged into steps, oldest first; a received twin replaces the sent one. */
export function mergeSteps(histories: readonly (readonly StoredCaseEvent[])[]): TrackStep[] {
  const byKey = new Map<string, TrackStep>();
  for (const history of histories)
    for (const stored of history) {
      const found = stepOf(stored.event);
      if (!found) continue;
      const seen = byKey.get(found.key);
      if (!seen || (seen.kind.endsWith("-sent") && found.step.kind.endsWith("-received")))
        byKey.set(found.key, found.step);
    }
  return [...byKey.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

const REACHED: Record<Milestone, readonly TrackStepKind[]> = {
  accepted: ["accepted", "letter-sent"],
  letter: ["letter-sent"],
  record: ["record-sent", "record-received"],
  funds: ["funds-sent", "funds-received"],
  correction: [],
  completed: ["completed"],
};

/** The milestones an open case has not reached yet (none once closed). */
export function pendingMilestones(state: CaseState, steps: readonly TrackStep[]): Milestone[] {
  if (!("deadline" in state)) return [];
  const ahead = MILESTONES.filter((m) => !steps.some((s) => REACHED[m].includes(s.kind)));
  return state.status === "discrepancy-raised" ? ["correction", ...ahead] : ahead;
}

/** Which milestones the open step is about (the page marks them as current). */
export function milestonesOfStep(step: Step): Milestone[] {
  switch (step) {
    case "contact-letter":
      return ["letter"];
    case "record-and-funds":
      return ["record", "funds"];
    case "correction":
      return ["correction", "record", "funds"];
    case "completion":
      return ["completed"];
  }
}
