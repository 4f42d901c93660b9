import type { EmergencyWindow } from "../calendar/index.ts";
import type { CommandMetadata } from "./types.ts";

/** Commands are imperative; each names its case and carries `{ now, actor }`. */
interface Cmd<T extends string, D extends object> {
  type: T;
  caseId: string;
  data: D;
  metadata: CommandMetadata;
}

interface DocumentData {
  documentId: string;
}

interface ReasonData {
  reasonCode: string;
  explanation: string;
}

/** Transfer-in: the application arrives (66号 art 8(一)); opens the transfer-in case. */
export type RegisterApplication = Cmd<
  "RegisterApplication",
  { counterpartId: string; priority?: boolean; temporaryAccount?: boolean }
>;
export type SendContactLetter = Cmd<"SendContactLetter", DocumentData>;
/** Transfer-out: a contact letter arrives; opens the transfer-out case. */
export type ReceiveContactLetter = Cmd<
  "ReceiveContactLetter",
  DocumentData & { counterpartId: string; priority?: boolean; temporaryAccount?: boolean }
>;
export type SendInsuranceRecord = Cmd<"SendInsuranceRecord", DocumentData>;
export type ReceiveInsuranceRecord = Cmd<"ReceiveInsuranceRecord", DocumentData>;
export type SendFundTransfer = Cmd<"SendFundTransfer", DocumentData>;
export type ReceiveFundTransfer = Cmd<"ReceiveFundTransfer", DocumentData>;
export type SendReturn = Cmd<"SendReturn", DocumentData & ReasonData>;
export type ReceiveReturn = Cmd<"ReceiveReturn", DocumentData & ReasonData>;
export type SendCompletion = Cmd<"SendCompletion", DocumentData>;
export type ReceiveCompletion = Cmd<"ReceiveCompletion", DocumentData>;
/** Transfer-in: not eligible, written explanation to the applicant instead of a contact letter. */
export type Refuse = Cmd<"Refuse", ReasonData>;
export type Cancel = Cmd<"Cancel", { reason: string }>;
/** Either side: an emergency window for a region now applies to this case's clocks. */
export type DeclareEmergency = Cmd<"DeclareEmergency", { window: EmergencyWindow }>;

export type CaseCommand =
  | RegisterApplication
  | SendContactLetter
  | ReceiveContactLetter
  | SendInsuranceRecord
  | ReceiveInsuranceRecord
  | SendFundTransfer
  | ReceiveFundTransfer
  | SendReturn
  | ReceiveReturn
  | SendCompletion
  | ReceiveCompletion
  | Refuse
  | Cancel
  | DeclareEmergency;

export type CaseCommandType = CaseCommand["type"];
