import type { CalendarCoverage, EmergencyWindow, LocalDate } from "../calendar/index.ts";

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

/** The three clocked steps of 66号 art 8 (二)–(四). */
export type Step = "contact-letter" | "record-and-funds" | "completion";

/** The legal deadline of the one open step. */
export interface Deadline {
  step: Step;
  /** Agency that must act (its regional calendar applies). */
  owedBy: string;
  /** Asia/Shanghai date of the triggering event; not itself counted (民法典 art 201). */
  startedOn: LocalDate;
  workingDays: number;
  /** Working-day clock, paused inside emergency windows. */
  due: LocalDate;
  calendarCoverage: CalendarCoverage;
  /** The step overlapped a declared emergency window (人社厅明电〔2020〕7号). */
  emergencyDeferred: boolean;
  /** When deferred: 3 months after the latest overlapping window ends. */
  makeUpBy?: LocalDate;
}

export interface CaseFlags {
  /** Green channel: steps use the shorter configured deadline. */
  priority: boolean;
  /** The transfer-in place keeps a 临时基本养老保险缴费账户 (66号 art 5(二)). */
  temporaryAccount: boolean;
  /** Some step of this case was deferred by an emergency (sticky, for reporting). */
  emergencyDeferred: boolean;
}

/** Exchanged document kinds a case remembers, by the id of the document. */
export type CaseDocumentKind = "contact-letter" | "insurance-record" | "fund-transfer" | "return" | "completion";

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
  | AwaitingCompletionCase;
export type ClosedCase = CompletedCase | ReturnedCase | RefusedCase | CancelledCase;
export type CaseState = EmptyCase | OpenCase | ClosedCase;
export type CaseStatus = CaseState["status"];

export function isOpen(state: CaseState): state is OpenCase {
  return "deadline" in state;
}

export function isClosed(state: CaseState): state is ClosedCase {
  return "closedAt" in state;
}
