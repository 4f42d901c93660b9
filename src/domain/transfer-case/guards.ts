import { isRegion } from "../calendar/index.ts";
import type { CaseCommand, CaseCommandType } from "./commands.ts";
import { CaseError } from "./errors.ts";
import { describeCommand, describeRole, describeStatus, sentence } from "./phrases.ts";
import { isClosed, type CaseState, type CaseStatus, type CaseView, type OpenCase } from "./types.ts";

/** The side each command belongs to (66号 art 8 and docs/business-flow.md "The transfer flow"). */
const SIDE: Record<CaseCommandType, CaseView | "either"> = {
  RegisterApplication: "transfer-in",
  SendContactLetter: "transfer-in",
  ReceiveInsuranceRecord: "transfer-in",
  ReceiveFundTransfer: "transfer-in",
  ReceiveReturn: "transfer-in",
  SendDiscrepancy: "transfer-in",
  SendCompletion: "transfer-in",
  Refuse: "transfer-in",
  Cancel: "transfer-in",
  ReceiveContactLetter: "transfer-out",
  SendInsuranceRecord: "transfer-out",
  SendFundTransfer: "transfer-out",
  SendReturn: "transfer-out",
  ReceiveDiscrepancy: "transfer-out",
  ReceiveCompletion: "transfer-out",
  DeclareEmergency: "either",
};

/** Rejects commands that are malformed whatever the state (time and actor are inputs). */
export function checkCommand(command: CaseCommand): void {
  // Commands may be built from stored or received JSON: check the shape before reading it.
  if (!Object.hasOwn(SIDE, command.type)) invalid(`unknown command ${JSON.stringify(command.type)}`);
  if (typeof command.data !== "object" || command.data === null) invalid("command data must be an object");
  if (typeof command.metadata?.actor !== "object" || command.metadata.actor === null)
    invalid("metadata.actor is required");
  const { now, actor } = command.metadata;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) invalid("metadata.now must be a valid Date");
  if (!isRegion(actor.agencyId)) invalid(`actor agency id ${JSON.stringify(actor.agencyId)} is not an agency id`);
  if (actor.role !== "transfer-in" && actor.role !== "transfer-out")
    invalid(`actor role ${JSON.stringify(actor.role)} is unknown`);
  const { counterpartId } = command.metadata;
  if (counterpartId !== undefined && !isRegion(counterpartId))
    invalid(`counterpart ${JSON.stringify(counterpartId)} is not an agency id`);
  if (typeof command.caseId !== "string" || command.caseId === "") invalid("caseId must be a non-empty string");
  for (const key of ["documentId", "reasonCode", "explanation", "reason", "supersedes"]) {
    const value = (command.data as Record<string, unknown>)[key];
    if (key in command.data && (typeof value !== "string" || value === ""))
      invalid(`${key} must be a non-empty string`);
  }
}

export function invalid(message: string): never {
  throw new CaseError("CASE_COMMAND_INVALID", message);
}

/** The actor plays the side the command belongs to (commands on an empty case). */
export function requireSide(command: CaseCommand): void {
  const side = SIDE[command.type];
  if (side !== "either" && command.metadata.actor.role !== side) {
    throw new CaseError(
      "WRONG_PARTY",
      `${sentence(describeCommand(command.type))} is for the ${describeRole(side)}; agency ${command.metadata.actor.agencyId} acts here as the ${describeRole(command.metadata.actor.role)}`,
    );
  }
}

/**
 * Guards every command on an existing case: same case, still open, issued by the agency that
 * owns this view, and belonging to this view's side.
 */
export function requireOpenFor(
  command: CaseCommand,
  state: Exclude<CaseState, { status: "empty" }>,
): asserts state is OpenCase {
  if (command.caseId !== state.caseId) invalid(`command for case ${command.caseId} sent to case ${state.caseId}`);
  // Parties before state: a stranger learns nothing about the case (not even that it is closed); the
  // sides the parties play are checked after, as before.
  const { actor, counterpartId } = command.metadata;
  if (actor.agencyId !== state.agencyId) {
    throw new CaseError(
      "WRONG_PARTY",
      `case ${state.caseId} is kept by agency ${state.agencyId}, not ${actor.agencyId}`,
    );
  }
  if (counterpartId !== undefined && counterpartId !== state.counterpartId) {
    throw new CaseError("WRONG_PARTY", `agency ${counterpartId} is not a party to case ${state.caseId}`);
  }
  if (isClosed(state))
    throw new CaseError("CASE_CLOSED", `case ${state.caseId} is closed: ${describeStatus(state.status)}`);
  if (actor.role !== state.view) {
    throw new CaseError(
      "WRONG_PARTY",
      `agency ${actor.agencyId} is the ${describeRole(state.view)} of case ${state.caseId}; it cannot act as its ${describeRole(actor.role)}`,
    );
  }
  const side = SIDE[command.type];
  if (side !== "either" && side !== state.view) {
    throw new CaseError(
      "WRONG_PARTY",
      `${sentence(describeCommand(command.type))} is for the ${describeRole(side)}; agency ${actor.agencyId} is the ${describeRole(state.view)} of case ${state.caseId}`,
    );
  }
}

/** Narrows to the states a command is legal in, or throws ILLEGAL_TRANSITION. */
export function requireStatus<S extends CaseStatus>(
  command: CaseCommand,
  state: OpenCase,
  ...allowed: S[]
): asserts state is Extract<OpenCase, { status: S }> {
  if (!(allowed as string[]).includes(state.status)) illegal(command, state);
}

export function illegal(command: CaseCommand, state: OpenCase, why = ""): never {
  throw new CaseError(
    "ILLEGAL_TRANSITION",
    `${sentence(describeCommand(command.type))} is not possible now${why ? ` (${why})` : ""}: ${describeStatus(state.status)}`,
  );
}
