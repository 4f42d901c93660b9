import { isLocalDate, isRegion } from "../calendar/index.ts";
import type {
  CaseCommand,
  DeclareEmergency,
  ReceiveContactLetter,
  ReceiveFundTransfer,
  ReceiveInsuranceRecord,
  RegisterApplication,
  SendFundTransfer,
  SendInsuranceRecord,
} from "./commands.ts";
import { nextDeadline, recomputeDeadline, startDeadline, type DeadlinePolicy } from "./deadlines.ts";
import { correct, movedEvent, raiseDiscrepancy } from "./discrepancy.ts";
import { CaseError } from "./errors.ts";
import type { CaseEvent } from "./events.ts";
import { checkPerson, checkPriority, checkVoucher } from "./facts.ts";
import { checkCommand, illegal, invalid, requireOpenFor, requireSide, requireStatus } from "./guards.ts";
import { transferInOf, transferOutOf, type CaseState, type CorrectableKind, type OpenCase } from "./types.ts";

type Decide = (command: CaseCommand, state: CaseState) => CaseEvent[];

const iso = (command: CaseCommand) => command.metadata.now.toISOString();

/** ApplicationRegistered / ContactLetterReceived: the first event of each side's case. */
function open(policy: DeadlinePolicy, command: RegisterApplication | ReceiveContactLetter): CaseEvent[] {
  const { actor, now } = command.metadata;
  const { counterpartId } = command.data;
  if (!isRegion(counterpartId) || counterpartId === actor.agencyId)
    invalid(`counterpart ${JSON.stringify(counterpartId)} is not another agency`);
  const priority = checkPriority(command.data.priority);
  const person = checkPerson(command.data.person);
  const voucher = checkVoucher(command.data.voucher);
  // Object.assign where a member is optional, not spreads followed by members (a hidden class per literal in
  // Node 20: docs/ingest-performance.md).
  const base = Object.assign(
    {
      view: actor.role,
      agencyId: actor.agencyId,
      counterpartId,
      priority,
      temporaryAccount: command.data.temporaryAccount === true,
    },
    person ? { person } : undefined,
  );
  const caseId = command.caseId;
  const at = iso(command);
  const start = { owedBy: actor.agencyId, at: now, priority: priority !== null, windows: [] };
  if (command.type === "RegisterApplication") {
    // 66号 art 8(二): contact letter (or written refusal) within 15 WD of the application.
    const deadline = startDeadline(policy, Object.assign({ step: "contact-letter" as const }, start));
    // The transfer-in side presents the voucher; only the transfer-out side can check it was issued.
    const presented = voucher ? { voucher: { id: voucher.id, sha256: voucher.sha256 } } : undefined;
    return [{ type: "ApplicationRegistered", caseId, at, data: Object.assign({}, base, presented, { deadline }) }];
  }
  // 66号 art 8(三): record and funds within 15 WD of receiving the contact letter.
  const deadline = startDeadline(policy, Object.assign({ step: "record-and-funds" as const }, start));
  const data = Object.assign({}, base, voucher ? { voucher } : undefined, {
    documentId: command.data.documentId,
    deadline,
  });
  return [{ type: "ContactLetterReceived", caseId, at, data }];
}

function decideEmpty(policy: DeadlinePolicy, command: CaseCommand): CaseEvent[] {
  if (command.type !== "RegisterApplication" && command.type !== "ReceiveContactLetter") {
    throw new CaseError("CASE_NOT_OPENED", `case ${command.caseId} has no application or contact letter yet`);
  }
  requireSide(command);
  return open(policy, command);
}

/**
 * Insurance record or fund transfer, in either order (a correction when it names what it supersedes).
 * When the second of the two moves, the completion step opens (66号 art 8(四): 15 WD from receiving
 * relation and funds), owed by the transfer-in agency. While a discrepancy holds the case, the kind that has
 * not moved yet may still move: the transfer-out agency may have sent it before the discrepancy reached it,
 * so refusing it would leave the two sides' records apart. It is recorded; the hold stays and its
 * resolution opens the completion clock.
 */
function moveRecordOrFunds(
  policy: DeadlinePolicy,
  command: SendInsuranceRecord | ReceiveInsuranceRecord | SendFundTransfer | ReceiveFundTransfer,
  state: OpenCase,
  kind: CorrectableKind,
): CaseEvent[] {
  const moved = movedEvent(command);
  if (command.data.supersedes !== undefined) return [moved, ...correct(policy, command, state, kind)];
  const waiting = state.view === "transfer-in" ? "contact-letter-sent" : "contact-letter-received";
  requireStatus(command, state, waiting, "discrepancy-raised");
  if (state.documents[kind] !== undefined)
    illegal(
      command,
      state,
      `the ${kind.replace("-", " ")} was already ${state.view === "transfer-in" ? "received" : "sent"}`,
    );
  const other: CorrectableKind = kind === "insurance-record" ? "fund-transfer" : "insurance-record";
  if (state.documents[other] === undefined || state.status === "discrepancy-raised") return [moved];
  const deadline = nextDeadline(policy, state, "completion", transferInOf(state), command.metadata.now);
  return [moved, { type: "CompletionClockStarted", caseId: state.caseId, at: iso(command), data: { deadline } }];
}

/** A return or a cancellation is only possible before any record or money has moved. */
function requireNothingMoved(command: CaseCommand, state: OpenCase): void {
  if (state.documents["insurance-record"] !== undefined || state.documents["fund-transfer"] !== undefined) {
    illegal(command, state, "insurance record or funds have already moved");
  }
}

function declareEmergency(policy: DeadlinePolicy, command: DeclareEmergency, state: OpenCase): CaseEvent[] {
  const { window } = command.data;
  const dated = isLocalDate(window.from) && isLocalDate(window.to) && window.from <= window.to;
  const pauses = window.pausesStepClocks === undefined || typeof window.pausesStepClocks === "boolean";
  const valid = isRegion(window.region) && dated && typeof window.reason === "string" && window.reason !== "";
  if (!valid || !pauses)
    invalid(
      "emergency window needs a region, from ≤ to (YYYY-MM-DD), a reason and pausesStepClocks true/false if given",
    );
  const windows = [...state.emergencyWindows, window];
  const deadline = recomputeDeadline(policy, state.deadline, windows);
  return [{ type: "EmergencyDeclared", caseId: state.caseId, at: iso(command), data: { window, deadline } }];
}

function decideOpen(policy: DeadlinePolicy, command: CaseCommand, state: OpenCase): CaseEvent[] {
  const caseId = state.caseId;
  const at = iso(command);
  switch (command.type) {
    case "RegisterApplication":
    case "ReceiveContactLetter":
      throw new CaseError("CASE_ALREADY_OPENED", `case ${caseId} is already open`);
    case "SendContactLetter": {
      requireStatus(command, state, "application-registered");
      // The counterpart's clock, as tracked by the transfer-in side, starts with delivery.
      const deadline = nextDeadline(policy, state, "record-and-funds", transferOutOf(state), command.metadata.now);
      return [{ type: "ContactLetterSent", caseId, at, data: { documentId: command.data.documentId, deadline } }];
    }
    case "SendInsuranceRecord":
    case "ReceiveInsuranceRecord":
      return moveRecordOrFunds(policy, command, state, "insurance-record");
    case "SendFundTransfer":
    case "ReceiveFundTransfer":
      return moveRecordOrFunds(policy, command, state, "fund-transfer");
    case "SendDiscrepancy":
    case "ReceiveDiscrepancy":
      return raiseDiscrepancy(policy, command, state);
    case "SendReturn":
    case "ReceiveReturn": {
      requireStatus(command, state, "contact-letter-received", "contact-letter-sent");
      requireNothingMoved(command, state);
      const type = command.type === "SendReturn" ? "ReturnSent" : "ReturnReceived";
      return [{ type, caseId, at, data: { ...command.data } }];
    }
    case "SendCompletion":
    case "ReceiveCompletion": {
      // Refused while a discrepancy holds the case: information and funds must match first (66号 art 8(四)).
      requireStatus(command, state, "awaiting-completion");
      const type = command.type === "SendCompletion" ? "CompletionSent" : "CompletionReceived";
      return [{ type, caseId, at, data: { documentId: command.data.documentId } }];
    }
    case "Refuse":
      requireStatus(command, state, "application-registered");
      return [{ type: "ApplicationRefused", caseId, at, data: { ...command.data } }];
    case "Cancel":
      requireStatus(command, state, "application-registered", "contact-letter-sent");
      requireNothingMoved(command, state);
      return [{ type: "CaseCancelled", caseId, at, data: { reason: command.data.reason } }];
    case "DeclareEmergency":
      return declareEmergency(policy, command, state);
    default: {
      const unknown: never = command;
      return invalid(`unknown command ${JSON.stringify((unknown as { type: unknown }).type)}`);
    }
  }
}

/** Builds `decide(command, state) → events`: guards first, then the transition. */
export function createDecide(policy: DeadlinePolicy): Decide {
  return (command, state) => {
    checkCommand(command);
    if (state.status === "empty") return decideEmpty(policy, command);
    requireOpenFor(command, state);
    return decideOpen(policy, command, state);
  };
}
