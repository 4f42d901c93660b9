import { CaseError } from "./errors.ts";
import type { ApplicationRegistered, CaseEvent, ContactLetterReceived } from "./events.ts";
import { caseVoucher, toPriority } from "./facts.ts";
import type { CaseDocumentKind, CaseState, ClosedCase, CorrectableKind, Deadline, OpenCase } from "./types.ts";

type Opened = Exclude<CaseState, { status: "empty" }>;

/** The fresh case each side's first event creates. */
function opened(event: ApplicationRegistered | ContactLetterReceived): OpenCase {
  const { view, agencyId, counterpartId, priority, temporaryAccount, deadline, person, voucher } = event.data;
  const received = event.type === "ContactLetterReceived";
  const documents = received ? { "contact-letter": event.data.documentId } : {};
  // Object.assign, not spreads followed by members (a hidden class per literal in Node 20: docs/ingest-performance.md);
  // same member order (stored as JSON).
  const base = Object.assign(
    {
      caseId: event.caseId,
      view,
      agencyId,
      counterpartId,
      flags: { priority: toPriority(priority), temporaryAccount, emergencyDeferred: deadline.emergencyDeferred },
      emergencyWindows: [],
      documents,
      superseded: [],
    },
    person ? { person } : undefined,
    caseVoucher(voucher, received ? "contact-letter" : "application"),
    { openedAt: event.at, deadline },
  );
  return event.type === "ApplicationRegistered"
    ? Object.assign(base, { status: "application-registered" as const })
    : Object.assign(base, { status: "contact-letter-received" as const });
}

// Events come from decide or from the store, so a mismatch is a bug, not user input.
function existing(state: CaseState, event: CaseEvent): Opened {
  if (state.status === "empty") throw new CaseError("CASE_NOT_OPENED", `${event.type} applied to an empty case`);
  return state;
}

function openCase(state: CaseState, event: CaseEvent): OpenCase {
  const current = existing(state, event);
  if (!("deadline" in current)) throw new CaseError("CASE_CLOSED", `${event.type} applied to a ${current.status} case`);
  return current;
}

function withDocument(state: OpenCase, kind: CaseDocumentKind, documentId: string): OpenCase {
  return { ...state, documents: { ...state.documents, [kind]: documentId } };
}

/** Replaces the open step's deadline; `emergencyDeferred` on the case is sticky. */
function withDeadline(state: OpenCase, deadline: Deadline): OpenCase {
  const emergencyDeferred = state.flags.emergencyDeferred || deadline.emergencyDeferred;
  return { ...state, deadline, flags: { ...state.flags, emergencyDeferred } };
}

type Moved = Extract<
  CaseEvent,
  { type: "InsuranceRecordSent" | "InsuranceRecordReceived" | "FundTransferSent" | "FundTransferReceived" }
>;

/**
 * A record or fund transfer moved. A correction replaces the disputed document (kept in `superseded`);
 * a record's voucher is attached when the case has none yet.
 */
function moved(state: OpenCase, event: Moved, kind: CorrectableKind): OpenCase {
  const { documentId, supersedes } = event.data;
  const voucher = "voucher" in event.data && !state.voucher ? caseVoucher(event.data.voucher, "insurance-record") : {};
  const next = { ...withDocument(state, kind, documentId), ...voucher };
  if (supersedes === undefined) return next;
  if (next.status !== "discrepancy-raised")
    throw new CaseError("ILLEGAL_TRANSITION", `${event.type} corrects outside a discrepancy`);
  const { discrepancy } = next;
  const entry = { kind, documentId: supersedes, supersededBy: documentId, discrepancyId: discrepancy.documentId };
  return {
    ...next,
    superseded: [...(next.superseded ?? []), { ...entry, at: event.at }],
    discrepancy: { ...discrepancy, corrected: [...discrepancy.corrected, kind] },
  };
}

/** The hold ends: the fresh clock's step says where the case goes back to. */
function resolved(state: OpenCase, deadline: Deadline): OpenCase {
  const { discrepancy: _resolved, ...rest } = state as OpenCase & { discrepancy?: unknown };
  const current = withDeadline(rest as OpenCase, deadline);
  if (deadline.step === "completion") return { ...current, status: "awaiting-completion" };
  return { ...current, status: current.view === "transfer-in" ? "contact-letter-sent" : "contact-letter-received" };
}

/** Drops the open deadline and records when the case closed. */
function closing(state: OpenCase, at: string) {
  const { deadline: _closedStep, ...rest } = state;
  return { ...rest, closedAt: at };
}

type ClosingEvent = Extract<
  CaseEvent,
  {
    type:
      | "ReturnSent"
      | "ReturnReceived"
      | "CompletionSent"
      | "CompletionReceived"
      | "ApplicationRefused"
      | "CaseCancelled";
  }
>;

function close(state: OpenCase, event: ClosingEvent): ClosedCase {
  switch (event.type) {
    case "ReturnSent":
    case "ReturnReceived": {
      const { reasonCode, explanation, documentId } = event.data;
      return {
        ...closing(withDocument(state, "return", documentId), event.at),
        status: "returned",
        reasonCode,
        explanation,
      };
    }
    case "CompletionSent":
    case "CompletionReceived":
      return { ...closing(withDocument(state, "completion", event.data.documentId), event.at), status: "completed" };
    case "ApplicationRefused":
      return { ...closing(state, event.at), status: "refused", ...event.data };
    case "CaseCancelled":
      return { ...closing(state, event.at), status: "cancelled", reason: event.data.reason };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** Applies one event to the state. Pure and total over valid histories; never consults a clock. */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case "ApplicationRegistered":
    case "ContactLetterReceived":
      if (state.status !== "empty") throw new CaseError("CASE_ALREADY_OPENED", `${event.type} applied to an open case`);
      return opened(event);
    case "ContactLetterSent": {
      const current = withDeadline(
        withDocument(openCase(state, event), "contact-letter", event.data.documentId),
        event.data.deadline,
      );
      return { ...current, status: "contact-letter-sent" };
    }
    case "InsuranceRecordSent":
    case "InsuranceRecordReceived":
      return moved(openCase(state, event), event, "insurance-record");
    case "FundTransferSent":
    case "FundTransferReceived":
      return moved(openCase(state, event), event, "fund-transfer");
    case "DiscrepancySent":
    case "DiscrepancyReceived": {
      const { documentId, reasonCode, disputed, deadline } = event.data;
      const before = openCase(state, event);
      const current = withDeadline(withDocument(before, "discrepancy", documentId), deadline);
      const discrepancy = { documentId, reasonCode, disputed, corrected: [], heldDeadline: before.deadline };
      return { ...current, status: "discrepancy-raised", discrepancy };
    }
    case "DiscrepancyResolved":
      return resolved(openCase(state, event), event.data.deadline);
    case "CompletionClockStarted":
      return { ...withDeadline(openCase(state, event), event.data.deadline), status: "awaiting-completion" };
    case "EmergencyDeclared": {
      const current = withDeadline(openCase(state, event), event.data.deadline);
      return { ...current, emergencyWindows: [...current.emergencyWindows, event.data.window] };
    }
    case "ReturnSent":
    case "ReturnReceived":
    case "CompletionSent":
    case "CompletionReceived":
    case "ApplicationRefused":
    case "CaseCancelled":
      return close(openCase(state, event), event);
    default: {
      const unknown: never = event;
      throw new CaseError("ILLEGAL_TRANSITION", `unknown event ${JSON.stringify((unknown as { type: unknown }).type)}`);
    }
  }
}
