import { createCalendar, type EmergencyWindow } from "../../../src/domain/calendar/index.ts";
import {
  createCaseDecider,
  type Actor,
  type CaseCommand,
  type CaseCommandType,
  type CaseEvent,
  type Deadline,
  type ApplicationRegistered,
  type ApplicationRefused,
  type CaseCancelled,
  type CompletionClockStarted,
  type CompletionReceived,
  type CompletionSent,
  type DiscrepancyReceived,
  type DiscrepancySent,
  type ContactLetterReceived,
  type ContactLetterSent,
  type FundTransferReceived,
  type FundTransferSent,
  type InsuranceRecordReceived,
  type InsuranceRecordSent,
  type ReturnReceived,
  type ReturnSent,
} from "../../../src/domain/transfer-case/index.ts";
import { deciderSpec } from "../../support/decider.ts";

/** Transfer-in: 杭州 (330100); transfer-out: 广州 (440100). March 2025 has no holidays. */
export const IN = "330100";
export const OUT = "440100";
export const CASE = "case-2025-0001";

export const decider = createCaseDecider({
  calendar: createCalendar(),
  stepWorkingDays: 15,
  priorityTargetWorkingDays: 5,
});
export const spec = deciderSpec(decider);

export const asIn: Actor = { agencyId: IN, role: "transfer-in" };
export const asOut: Actor = { agencyId: OUT, role: "transfer-out" };

/** 10:00 Asia/Shanghai on `date`. */
export function on(date: string, time = "10:00"): Date {
  return new Date(`${date}T${time}:00+08:00`);
}

const iso = (date: string) => on(date).toISOString();

type DataOf<T extends CaseCommandType> = Extract<CaseCommand, { type: T }>["data"];

export function command<T extends CaseCommandType>(
  type: T,
  data: DataOf<T>,
  actor: Actor,
  date = "2025-03-05",
  caseId = CASE,
): CaseCommand {
  return { type, caseId, data, metadata: { now: on(date), actor } } as CaseCommand;
}

export function deadline(
  step: Deadline["step"],
  owedBy: string,
  startedOn: string,
  due: string,
  extra: Partial<Deadline> = {},
): Deadline {
  return {
    step,
    owedBy,
    startedOn,
    workingDays: 15,
    due,
    calendarCoverage: "official",
    emergencyDeferred: false,
    ...extra,
  };
}

export const window440: EmergencyWindow = {
  region: "440000",
  from: "2025-03-17",
  to: "2025-03-21",
  reason: "台风应急",
};

// ---- transfer-in view: 03-03 application, 03-05 contact letter, 03-10 record, 03-12 funds, 03-20 completion
const opening = {
  view: "transfer-in" as const,
  agencyId: IN,
  counterpartId: OUT,
  priority: null,
  temporaryAccount: false,
};
export const registered: ApplicationRegistered = {
  type: "ApplicationRegistered",
  caseId: CASE,
  at: iso("2025-03-03"),
  data: { ...opening, deadline: deadline("contact-letter", IN, "2025-03-03", "2025-03-24") },
};
export const letterSent: ContactLetterSent = {
  type: "ContactLetterSent",
  caseId: CASE,
  at: iso("2025-03-05"),
  data: { documentId: "CL-1", deadline: deadline("record-and-funds", OUT, "2025-03-05", "2025-03-26") },
};
export const recordReceived: InsuranceRecordReceived = {
  type: "InsuranceRecordReceived",
  caseId: CASE,
  at: iso("2025-03-10"),
  data: { documentId: "IR-1" },
};
export const fundsReceived: FundTransferReceived = {
  type: "FundTransferReceived",
  caseId: CASE,
  at: iso("2025-03-12"),
  data: { documentId: "FT-1" },
};
export const completionClockIn: CompletionClockStarted = {
  type: "CompletionClockStarted",
  caseId: CASE,
  at: iso("2025-03-12"),
  data: { deadline: deadline("completion", IN, "2025-03-12", "2025-04-02") },
};
export const completionSent: CompletionSent = {
  type: "CompletionSent",
  caseId: CASE,
  at: iso("2025-03-20"),
  data: { documentId: "CP-1" },
};
const reason = { reasonCode: "ARREARS", explanation: "存在欠缴，须先补缴" };
export const returnReceived: ReturnReceived = {
  type: "ReturnReceived",
  caseId: CASE,
  at: iso("2025-03-07"),
  data: { documentId: "RT-1", ...reason },
};
export const refused: ApplicationRefused = {
  type: "ApplicationRefused",
  caseId: CASE,
  at: iso("2025-03-05"),
  data: { reasonCode: "NOT_PAYING", explanation: "未在本地参保缴费" },
};
export const cancelled: CaseCancelled = {
  type: "CaseCancelled",
  caseId: CASE,
  at: iso("2025-03-05"),
  data: { reason: "申请人撤回" },
};

// ---- transfer-out view: 03-06 contact letter received, 03-10 record, 03-12 funds, 03-20 completion received
export const letterReceived: ContactLetterReceived = {
  type: "ContactLetterReceived",
  caseId: CASE,
  at: iso("2025-03-06"),
  data: {
    view: "transfer-out",
    agencyId: OUT,
    counterpartId: IN,
    priority: null,
    temporaryAccount: false,
    documentId: "CL-1",
    deadline: deadline("record-and-funds", OUT, "2025-03-06", "2025-03-27"),
  },
};
export const recordSent: InsuranceRecordSent = {
  type: "InsuranceRecordSent",
  caseId: CASE,
  at: iso("2025-03-10"),
  data: { documentId: "IR-1" },
};
export const fundsSent: FundTransferSent = {
  type: "FundTransferSent",
  caseId: CASE,
  at: iso("2025-03-12"),
  data: { documentId: "FT-1" },
};
export const completionClockOut: CompletionClockStarted = { ...completionClockIn };
export const completionReceived: CompletionReceived = {
  type: "CompletionReceived",
  caseId: CASE,
  at: iso("2025-03-20"),
  data: { documentId: "CP-1" },
};
export const returnSent: ReturnSent = {
  type: "ReturnSent",
  caseId: CASE,
  at: iso("2025-03-07"),
  data: { documentId: "RT-1", ...reason },
};

// ---- 核对不符 on 03-14 (Fri) disputing the funds: correction owed by 广州, 15 WD (清明 04-04 is off) → 04-07
const discrepancy = {
  documentId: "DC-1",
  reasonCode: "AMOUNT_MISMATCH",
  disputed: [{ kind: "fund-transfer" as const, documentId: "FT-1" }],
  deadline: deadline("correction", OUT, "2025-03-14", "2025-04-07"),
};
export const discrepancySent: DiscrepancySent = {
  type: "DiscrepancySent",
  caseId: CASE,
  at: iso("2025-03-14"),
  data: discrepancy,
};
export const discrepancyReceived: DiscrepancyReceived = {
  type: "DiscrepancyReceived",
  caseId: CASE,
  at: iso("2025-03-14"),
  data: discrepancy,
};

// ---- 核对不符 on 03-11 disputing the record before the funds moved: correction from 03-11 → 04-01
const recordDispute = {
  ...discrepancy,
  disputed: [{ kind: "insurance-record" as const, documentId: "IR-1" }],
  deadline: deadline("correction", OUT, "2025-03-11", "2025-04-01"),
};
export const recordDisputeSent: DiscrepancySent = { ...discrepancySent, at: iso("2025-03-11"), data: recordDispute };
export const recordDisputeReceived: DiscrepancyReceived = { ...recordDisputeSent, type: "DiscrepancyReceived" };

/** Every reachable status, by a history that reaches it. */
export const histories: Record<string, CaseEvent[]> = {
  empty: [],
  "in: application-registered": [registered],
  "in: contact-letter-sent": [registered, letterSent],
  "in: contact-letter-sent, record in": [registered, letterSent, recordReceived],
  "in: contact-letter-sent, funds in": [registered, letterSent, fundsReceived],
  "in: awaiting-completion": [registered, letterSent, recordReceived, fundsReceived, completionClockIn],
  "in: completed": [registered, letterSent, recordReceived, fundsReceived, completionClockIn, completionSent],
  "in: discrepancy-raised": [registered, letterSent, recordReceived, fundsReceived, completionClockIn, discrepancySent],
  "in: discrepancy-raised, record in": [registered, letterSent, recordReceived, recordDisputeSent],
  "in: returned": [registered, letterSent, returnReceived],
  "in: refused": [registered, refused],
  "in: cancelled": [registered, cancelled],
  "out: contact-letter-received": [letterReceived],
  "out: contact-letter-received, record out": [letterReceived, recordSent],
  "out: contact-letter-received, funds out": [letterReceived, fundsSent],
  "out: awaiting-completion": [letterReceived, recordSent, fundsSent, completionClockOut],
  "out: completed": [letterReceived, recordSent, fundsSent, completionClockOut, completionReceived],
  "out: returned": [letterReceived, returnSent],
  "out: discrepancy-raised": [letterReceived, recordSent, fundsSent, completionClockOut, discrepancyReceived],
  "out: discrepancy-raised, record out": [letterReceived, recordSent, recordDisputeReceived],
};
