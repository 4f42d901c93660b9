import type { CalendarCoverage, EmergencyWindow, LocalDate } from "../calendar/index.ts";
import type { PriorityReasonCode } from "../documents/types.ts";

/** Which side of the transfer this case record belongs to; each agency keeps its own view. */
export type CaseView = "transfer-in" | "transfer-out";

/** Who issues a command: the agency and the side it plays in this case. */
export interface Actor {
  agencyId: string;
  role: CaseView;
}

/** Time and actor travel with each command; the domain never reads a clock. */
export interface CommandMetadata {
  now: Date;
  actor: Actor;
  /**
   * The other agency of the exchange the command stands for: the sealer of a received document, the
   * addressee of a sent one. When given, it must be the case's counterpart (issue 9 item 1: a trusted
   * seal is not a licence to write into a case the sealer is not party to).
   */
  counterpartId?: string;
}

/**
 * The three clocked steps of 66号 art 8 (二)–(四), and the correction the transfer-out agency owes after a
 * discrepancy (核对不符; clocked like art 8(三) by analogy, no rule names its own term).
 */
export type Step = "contact-letter" | "record-and-funds" | "completion" | "correction";

/** Green channel: an internal goal beside the legal deadline, never in its place. */
export interface DeadlineTarget {
  workingDays: number;
  /** Working-day clock from the same start, paused like the legal one. */
  due: LocalDate;
}

/** The legal deadline of the one open step. */
export interface Deadline {
  step: Step;
  /** Agency that must act (its regional calendar applies). */
  owedBy: string;
  /** Asia/Shanghai date of the triggering event; not itself counted (民法典 art 201). */
  startedOn: LocalDate;
  workingDays: number;
  /** The legal due date: working-day clock, paused inside emergency windows that pause step clocks. */
  due: LocalDate;
  calendarCoverage: CalendarCoverage;
  /**
   * The clock was paused by an emergency window (人社厅明电〔2020〕7号). The window's "end + 3 months" is
   * for contributions, not for the agencies' steps (issue 11), so it sets no other date here.
   */
  emergencyDeferred: boolean;
  /** Priority cases only: the internal target (configured, default 5 WD). */
  target?: DeadlineTarget;
}

/** Why a case runs in the green channel (contact-letter.schema.json `priority`). */
export interface CasePriority {
  reasonCode: PriorityReasonCode;
  note?: string;
}

/** The person the transfer is for; the state keeps the full ID number (views mask it). */
export interface CasePerson {
  name: string;
  idNumber: string;
}

/**
 * How the transfer-out agency found a voucher named by a contact letter: in its archive, not there, there
 * with another digest, or there but issued to another person than the letter's (the gateway checks, the
 * domain records).
 */
export type VoucherCheck = "issued-here" | "not-issued-here" | "digest-mismatch" | "person-mismatch";

/** The sealed 参保缴费凭证 (66号 art 3) of the case, by id and SHA-256 of its canonical bytes. */
export interface CaseVoucher {
  id: string;
  sha256: string;
  /** Transfer-out side: the result of checking it against its own archive. */
  check?: VoucherCheck;
  /** Where the case learned of it: presented at registration, named by the contact letter, or attached to the record. */
  source: "application" | "contact-letter" | "insurance-record";
}

export interface CaseFlags {
  /** Green channel: the reason, or null. The legal deadlines stay; an internal target is added. */
  priority: CasePriority | null;
  /** The transfer-in place keeps a 临时基本养老保险缴费账户 (66号 art 5(二)). */
  temporaryAccount: boolean;
  /** Some step of this case was deferred by an emergency (sticky, for reporting). */
  emergencyDeferred: boolean;
}

/** Exchanged document kinds a case remembers, by the id of the document (the current one of each kind). */
export type CaseDocumentKind =
  | "contact-letter"
  | "insurance-record"
  | "fund-transfer"
  | "return"
  | "completion"
  | "discrepancy";

/** The kinds a discrepancy can dispute and a correction can replace. */
export type CorrectableKind = "insurance-record" | "fund-transfer";

/** A document replaced by a correction; kept so views can show what the case once held. */
export interface SupersededDocument {
  kind: CorrectableKind;
  documentId: string;
  supersededBy: string;
  /** The discrepancy the correction answered. */
  discrepancyId: string;
  at: string;
}

/** The open 核对不符: what it disputes and which of those kinds are corrected so far. */
export interface OpenDiscrepancy {
  documentId: string;
  reasonCode: string;
  disputed: { kind: CorrectableKind; documentId: string }[];
  corrected: CorrectableKind[];
  /**
   * The deadline open when the discrepancy was raised. Resolution resumes it when record or funds are still
   * missing: the correction does not extend the transfer-out agency's 66号 art 8(三) clock. Absent in states
   * held before it was kept (resolution then starts a fresh record-and-funds clock).
   */
  heldDeadline?: Deadline;
}

interface CaseBase {
  caseId: string;
  view: CaseView;
  /** The agency whose case record this is. */
  agencyId: string;
  /** The agency on the other side. */
  counterpartId: string;
  flags: CaseFlags;
  /** Emergency windows declared on this case after it opened (configured ones live in the calendar). */
  emergencyWindows: EmergencyWindow[];
  documents: Partial<Record<CaseDocumentKind, string>>;
  /** Documents replaced by corrections, oldest first (absent in states stored before issue 11). */
  superseded?: SupersededDocument[];
  /** From the application or the contact letter (absent when not given, and in older states). */
  person?: CasePerson;
  /** Absent when the case was opened without one and none was attached to the record. */
  voucher?: CaseVoucher;
  openedAt: string;
}

export interface EmptyCase {
  status: "empty";
}
/** Transfer-in: application recorded, contact letter (or written refusal) owed. */
export interface ApplicationRegisteredCase extends CaseBase {
  status: "application-registered";
  deadline: Deadline;
}
/** Transfer-in: contact letter sent, insurance record and funds awaited (either order). */
export interface ContactLetterSentCase extends CaseBase {
  status: "contact-letter-sent";
  deadline: Deadline;
}
/** Transfer-out: contact letter received, record and funds (or a return) owed. */
export interface ContactLetterReceivedCase extends CaseBase {
  status: "contact-letter-received";
  deadline: Deadline;
}
/** Both views: record and funds have moved; completion owed by the transfer-in agency. */
export interface AwaitingCompletionCase extends CaseBase {
  status: "awaiting-completion";
  deadline: Deadline;
}
/**
 * Both views: the transfer-in agency answered the record and/or funds with a discrepancy (核对不符);
 * the case is held (no completion) until the transfer-out agency sends corrections superseding them.
 */
export interface DiscrepancyRaisedCase extends CaseBase {
  status: "discrepancy-raised";
  deadline: Deadline;
  discrepancy: OpenDiscrepancy;
}
export interface CompletedCase extends CaseBase {
  status: "completed";
  closedAt: string;
}
/** The transfer-out agency sent the contact letter back (退回) with a reason code. */
export interface ReturnedCase extends CaseBase {
  status: "returned";
  closedAt: string;
  reasonCode: string;
  explanation: string;
}
/** The transfer-in agency refused in writing to the applicant (66号 art 8(二) 书面说明). */
export interface RefusedCase extends CaseBase {
  status: "refused";
  closedAt: string;
  reasonCode: string;
  explanation: string;
}
export interface CancelledCase extends CaseBase {
  status: "cancelled";
  closedAt: string;
  reason: string;
}

export type OpenCase =
  | ApplicationRegisteredCase
  | ContactLetterSentCase
  | ContactLetterReceivedCase
  | AwaitingCompletionCase
  | DiscrepancyRaisedCase;
export type ClosedCase = CompletedCase | ReturnedCase | RefusedCase | CancelledCase;
export type CaseState = EmptyCase | OpenCase | ClosedCase;
export type CaseStatus = CaseState["status"];

/** The statuses a case can be in while open, in the order a transfer passes them (docs/business-flow.md "Case states"). */
export const OPEN_CASE_STATUSES = [
  "application-registered",
  "contact-letter-sent",
  "contact-letter-received",
  "awaiting-completion",
  "discrepancy-raised",
] as const satisfies readonly OpenCase["status"][];

/** Every status a stored case can have: what a case list may be filtered by. */
export const CASE_STATUSES = [
  ...OPEN_CASE_STATUSES,
  "completed",
  "returned",
  "refused",
  "cancelled",
] as const satisfies readonly Exclude<CaseStatus, "empty">[];

export function isOpen(state: CaseState): state is OpenCase {
  return "deadline" in state;
}

/** The transfer-in agency of a case, whichever side's record it is. */
export function transferInOf(state: OpenCase): string {
  return state.view === "transfer-in" ? state.agencyId : state.counterpartId;
}

/** The transfer-out agency of a case, whichever side's record it is. */
export function transferOutOf(state: OpenCase): string {
  return state.view === "transfer-out" ? state.agencyId : state.counterpartId;
}

export function isClosed(state: CaseState): state is ClosedCase {
  return "closedAt" in state;
}
