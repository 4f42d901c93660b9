import type { EmergencyWindow } from "../calendar/index.ts";
import type { CasePerson, CasePriority, CommandMetadata, VoucherCheck } from "./types.ts";

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

interface CorrectionData {
  /** The id of the document this one corrects and replaces. */
  supersedes?: string;
}

interface DiscrepancyData extends DocumentData {
  reasonCode: string;
  /** Each the case's current insurance-record or fund-transfer id. */
  disputedDocumentIds: string[];
}

interface ReasonData {
  reasonCode: string;
  explanation: string;
}

/** A voucher reference ({id, sha256} of the sealed 参保缴费凭证). */
export interface VoucherRef {
  id: string;
  sha256: string;
}

/** Facts both opening commands carry beside the counterpart. */
interface OpeningData {
  counterpartId: string;
  /** Green channel with its reason; absent = not a priority case. */
  priority?: CasePriority;
  temporaryAccount?: boolean;
  person?: CasePerson;
}

/** Transfer-in: the application arrives (66号 art 8(一)); opens the transfer-in case. */
export type RegisterApplication = Cmd<
  "RegisterApplication",
  OpeningData & {
    /** The sealed voucher the employee presented, already verified by the use case. */
    voucher?: VoucherRef;
  }
>;
export type SendContactLetter = Cmd<"SendContactLetter", DocumentData>;
/** Transfer-out: a contact letter arrives; opens the transfer-out case. */
export type ReceiveContactLetter = Cmd<
  "ReceiveContactLetter",
  DocumentData &
    OpeningData & {
      /** The letter's `voucher`, with the use case's check against this agency's archive (absent = not checked). */
      voucher?: VoucherRef & { check?: VoucherCheck };
    }
>;
/**
 * Record and funds: `supersedes` makes it a correction after a discrepancy (the body's `supersedes`);
 * `voucher` is the record's `voucher` (the transfer-out agency attaches it when the case had none).
 */
export type SendInsuranceRecord = Cmd<"SendInsuranceRecord", DocumentData & CorrectionData & { voucher?: VoucherRef }>;
export type ReceiveInsuranceRecord = Cmd<
  "ReceiveInsuranceRecord",
  DocumentData & CorrectionData & { voucher?: VoucherRef }
>;
export type SendFundTransfer = Cmd<"SendFundTransfer", DocumentData & CorrectionData>;
export type ReceiveFundTransfer = Cmd<"ReceiveFundTransfer", DocumentData & CorrectionData>;
/** 核对不符 (transfer-in → transfer-out): disputes the case's current record and/or fund transfer. */
export type SendDiscrepancy = Cmd<"SendDiscrepancy", DiscrepancyData>;
export type ReceiveDiscrepancy = Cmd<"ReceiveDiscrepancy", DiscrepancyData>;
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
  | SendDiscrepancy
  | ReceiveDiscrepancy
  | SendReturn
  | ReceiveReturn
  | SendCompletion
  | ReceiveCompletion
  | Refuse
  | Cancel
  | DeclareEmergency;

export type CaseCommandType = CaseCommand["type"];
