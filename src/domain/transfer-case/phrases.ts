import type { CaseCommandType } from "./commands.ts";
import type { CaseStatus, CaseView } from "./types.ts";

/**
 * Refusals in the words of the transfer, not of the decider (issue 15 item 6): integrators and clerks read
 * "sending the completion", never `SendCompletion`. The document names are those of 66号 and its forms
 * (docs/business-flow.md "Case states").
 */
const COMMAND_PHRASE: Record<CaseCommandType, string> = {
  RegisterApplication: "registering the transfer application (转移接续申请)",
  SendContactLetter: "sending the contact letter (联系函)",
  ReceiveInsuranceRecord: "receiving the insurance record (参保缴费信息表)",
  ReceiveFundTransfer: "receiving the fund transfer (基金转移)",
  ReceiveReturn: "receiving a return of the contact letter (退回)",
  SendDiscrepancy: "sending a discrepancy notice (核对不符)",
  SendCompletion: "sending the completion (办结)",
  Refuse: "refusing the application in writing (书面说明)",
  Cancel: "cancelling the case",
  ReceiveContactLetter: "receiving the contact letter (联系函)",
  SendInsuranceRecord: "sending the insurance record (参保缴费信息表)",
  SendFundTransfer: "sending the fund transfer (基金转移)",
  SendReturn: "returning the contact letter (退回)",
  ReceiveDiscrepancy: "receiving a discrepancy notice (核对不符)",
  ReceiveCompletion: "receiving the completion (办结)",
  DeclareEmergency: "declaring an emergency",
};

const STATUS_PHRASE: Record<CaseStatus, string> = {
  empty: "nothing is recorded yet",
  "application-registered": "the application is registered and the contact letter is not sent yet",
  "contact-letter-sent": "the contact letter is sent; the insurance record and the fund transfer are awaited",
  "contact-letter-received":
    "the contact letter is received; the insurance record and the fund transfer (or a return) are owed",
  "awaiting-completion": "the insurance record and the fund transfer have both moved; the completion is owed",
  "discrepancy-raised": "a discrepancy notice holds the case until the disputed documents are corrected",
  completed: "the transfer is completed",
  returned: "the contact letter was returned",
  refused: "the application was refused",
  cancelled: "the case was cancelled",
};

const ROLE_PHRASE: Record<CaseView, string> = {
  "transfer-in": "transfer-in agency (转入地)",
  "transfer-out": "transfer-out agency (转出地)",
};

/** "sending the completion (办结)" */
export function describeCommand(type: CaseCommandType): string {
  return COMMAND_PHRASE[type] ?? type;
}

/** "the contact letter is sent; … (status contact-letter-sent)": the words first, the status code for lookup. */
export function describeStatus(status: CaseStatus): string {
  return `${STATUS_PHRASE[status]} (status ${status})`;
}

/** "transfer-in agency (转入地)" */
export function describeRole(role: CaseView): string {
  return ROLE_PHRASE[role] ?? role;
}

/** The capitalised first letter a message starts with. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
