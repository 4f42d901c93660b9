import type { EmergencyWindow } from "../calendar/index.ts";
import type { CaseView, Deadline } from "./types.ts";

/**
 * Events are past tense and JSON-serialisable (the gateway stores them): instants are ISO
 * strings, and every computed deadline is recorded in the event, so evolve needs no calendar.
 */
interface Evt<T extends string, D extends object> {
  type: T;
  caseId: string;
  /** ISO instant of the command that produced the event. */
  at: string;
  data: D;
}

interface Opening {
  view: CaseView;
  agencyId: string;
  counterpartId: string;
  priority: boolean;
  temporaryAccount: boolean;
  deadline: Deadline;
}

type Doc = { documentId: string };
type Reason = { reasonCode: string; explanation: string };

export type ApplicationRegistered = Evt<"ApplicationRegistered", Opening>;
export type ContactLetterSent = Evt<"ContactLetterSent", Doc & { deadline: Deadline }>;
export type ContactLetterReceived = Evt<"ContactLetterReceived", Opening & Doc>;
export type InsuranceRecordSent = Evt<"InsuranceRecordSent", Doc>;
export type InsuranceRecordReceived = Evt<"InsuranceRecordReceived", Doc>;
export type FundTransferSent = Evt<"FundTransferSent", Doc>;
export type FundTransferReceived = Evt<"FundTransferReceived", Doc>;
/** Record and funds have both moved: the completion step opens (66号 art 8(四)). */
export type CompletionClockStarted = Evt<"CompletionClockStarted", { deadline: Deadline }>;
export type ReturnSent = Evt<"ReturnSent", Doc & Reason>;
export type ReturnReceived = Evt<"ReturnReceived", Doc & Reason>;
export type CompletionSent = Evt<"CompletionSent", Doc>;
export type CompletionReceived = Evt<"CompletionReceived", Doc>;
export type ApplicationRefused = Evt<"ApplicationRefused", Reason>;
export type CaseCancelled = Evt<"CaseCancelled", { reason: string }>;
export type EmergencyDeclared = Evt<"EmergencyDeclared", { window: EmergencyWindow; deadline: Deadline }>;

export type CaseEvent =
  | ApplicationRegistered
  | ContactLetterSent
  | ContactLetterReceived
  | InsuranceRecordSent
  | InsuranceRecordReceived
  | FundTransferSent
  | FundTransferReceived
  | CompletionClockStarted
  | ReturnSent
  | ReturnReceived
  | CompletionSent
  | CompletionReceived
  | ApplicationRefused
  | CaseCancelled
  | EmergencyDeclared;

export type CaseEventType = CaseEvent["type"];
