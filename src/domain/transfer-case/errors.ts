import { CodedError } from "../errors.ts";

/**
 * Why a case command was refused. HTTP statuses are mapped from these at the edge.
 * - ILLEGAL_TRANSITION: right party, but the case is not in a state that allows the command
 * - WRONG_PARTY: the actor is not this case's agency, or the command belongs to the other side
 * - CASE_CLOSED: the case is completed, returned, refused or cancelled
 * - CASE_NOT_OPENED / CASE_ALREADY_OPENED: opening commands on the wrong side of the first event
 * - CASE_COMMAND_INVALID: malformed command (bad instant, other case id, self as counterpart …)
 * - CASE_POLICY_INVALID: the decider factory got an impossible deadline policy
 */
export type CaseErrorCode =
  | "ILLEGAL_TRANSITION"
  | "WRONG_PARTY"
  | "CASE_CLOSED"
  | "CASE_NOT_OPENED"
  | "CASE_ALREADY_OPENED"
  | "CASE_COMMAND_INVALID"
  | "CASE_POLICY_INVALID";

export class CaseError extends CodedError<CaseErrorCode> {}
