import type { EmergencyWindow } from "../calendar/index.ts";
import type { VoucherRef } from "./commands.ts";
import type { CasePerson, CasePriority, CaseView, CorrectableKind, Deadline, VoucherCheck } from "./types.ts";

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
  /** `boolean` in events stored before issue 11 (true reads as reasonCode OTHER). */
  priority: CasePriority | null;
  temporaryAccount: boolean;
  deadline: Deadline;
  person?: CasePerson;
  /** Presented at registration (transfer-in) or named by the contact letter, with the check (transfer-out). */
  voucher?: VoucherRef & { check?: VoucherCheck };
}

type Doc = { documentId: string };
/** A correction names the document it replaces. */
type Correction = { supersedes?: string };
type Reason = { reasonCode: string; explanation: string };

export type ApplicationRegistered = Evt<"ApplicationRegistered", Opening>;
export type ContactLetterSent = Evt<"ContactLetterSent", Doc & { deadline: Deadline }>;
export type ContactLetterReceived = Evt<"ContactLetterReceived", Opening & Doc>;
export type InsuranceRecordSent = Evt<"InsuranceRecordSent", Doc & Correction & { voucher?: VoucherRef }>;
export type InsuranceRecordReceived = Evt<"InsuranceRecordReceived", Doc & Correction & { voucher?: VoucherRef }>;
export type FundTransferSent = Evt<"FundTransferSent", Doc & Correction>;
export type FundTransferReceived = Evt<"FundTransferReceived", Doc & Correction>;
/** 核对不符: the case is held and the correction step opens, owed by the transfer-out agency. */
type Discrepancy = Doc & {
  reasonCode: string;
  disputed: { kind: CorrectableKind; documentId: string }[];
  deadline: Deadline;
};
export type DiscrepancySent = Evt<"DiscrepancySent", Discrepancy>;
export type DiscrepancyReceived = Evt<"DiscrepancyReceived", Discrepancy>;
/**
 * Every disputed kind is corrected: the hold ends — a fresh completion clock when record and funds are both
 * present, otherwise the record-and-funds deadline open before the discrepancy (the status follows from
 * `deadline.step`).
 */
export type DiscrepancyResolved = Evt<"DiscrepancyResolved", { documentId: string; deadline: Deadline }>;
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
  | DiscrepancySent
  | DiscrepancyReceived
  | DiscrepancyResolved
  | CompletionClockStarted
  | ReturnSent
  | ReturnReceived
  | CompletionSent
  | CompletionReceived
  | ApplicationRefused
  | CaseCancelled
  | EmergencyDeclared;

export type CaseEventType = CaseEvent["type"];
