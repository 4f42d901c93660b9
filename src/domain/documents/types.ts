import type { Fen } from "../money.ts";

/**
 * Wire types of the transfer documents (docs/contracts.md "Document envelope"; fields per
 * docs/references.md "Transfer forms and amounts").
 * They mirror schemas/*.schema.json; the schemas are the contract, these are their TypeScript view.
 */
/**
 * The steps of the transfer itself, exchanged between the two agencies of a case (the contact letter first):
 * not transport (receipts) and not the voucher the person carries.
 */
export const CASE_STEP_TYPES = [
  "contact-letter",
  "insurance-record",
  "fund-transfer",
  "completion",
  "return",
  "discrepancy",
] as const;

export const DOCUMENT_TYPES = [...CASE_STEP_TYPES, "contribution-voucher", "receipt", "business-receipt"] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/**
 * Closed list of return reasons (docs/references.md "Transfer forms and amounts"; the statute only says
 * 不符合转移接续条件).
 */
export const RETURN_REASON_CODES = [
  "NOT_INSURED_AT_NEW_PLACE",
  "ALREADY_RETIRED",
  "ARREARS",
  "IDENTITY_MISMATCH",
  "TEMPORARY_ACCOUNT_RULE",
  "DUPLICATE_PERIODS",
  "UNKNOWN_AGENCY",
  "TRANSFER_IN_PROGRESS",
  "NOT_ELIGIBLE",
] as const;

export type ReturnReasonCode = (typeof RETURN_REASON_CODES)[number];

/**
 * Why the transfer-in agency holds a case (核对不符, discrepancy.schema.json): money or record that does not
 * reconcile is answered by a discrepancy, not a return (a return is only possible before anything moved).
 */
export const DISCREPANCY_REASON_CODES = [
  "AMOUNT_MISMATCH",
  "RECORD_INCONSISTENT",
  "PERSON_MISMATCH",
  "PAYEE_MISMATCH",
  "FUNDS_NOT_RECEIVED",
  "OTHER",
] as const;

export type DiscrepancyReasonCode = (typeof DISCREPANCY_REASON_CODES)[number];

/** Why a case runs in the green channel (common.schema.json#/$defs/priority). */
export const PRIORITY_REASON_CODES = [
  "SERIOUS_ILLNESS",
  "NEAR_RETIREMENT",
  "FRONTLINE_MEDICAL",
  "HARDSHIP",
  "OTHER",
] as const;

export type PriorityReasonCode = (typeof PRIORITY_REASON_CODES)[number];

export interface Priority {
  reasonCode: PriorityReasonCode;
  note?: string;
}

/** Another document named by id and the SHA-256 of its canonical (JCS) bytes. */
export interface DocumentRef {
  id: string;
  sha256: string;
}

/** YYYY-MM */
export type YearMonth = string;
/** YYYY-MM-DD */
export type IsoDate = string;
/** RFC 3339 with offset */
export type IsoDateTime = string;
/** Rate in basis points (1/10 000): 8 % = 800. */
export type RateBp = number;

export interface PersonRef {
  name: string;
  idNumber: string;
}

export interface BankAccount {
  accountName: string;
  bankName: string;
  accountNumber: string;
  clearingCode?: string;
}

export interface AgencyParty {
  divisionCode: string;
  agencyName: string;
  address?: string;
  postcode?: string;
  phone?: string;
  contactPerson?: string;
}

export interface Employer {
  name: string;
  uscc: string;
}

/** 联系函 (transfer-in → transfer-out). */
export interface ContactLetterBody {
  letterNumber: string;
  transferKind: "enterprise" | "institution-to-enterprise" | "enterprise-to-institution";
  temporaryAccount?: boolean;
  person: PersonRef & { previousPersonalNumber?: string };
  employer?: Employer;
  transferOut: AgencyParty;
  transferIn: AgencyParty;
  receivingAccount: BankAccount;
  agent?: { name: string; relation: string; phone?: string; address?: string };
  /** The sealed contribution voucher the employee presented at registration, when there was one. */
  voucher?: DocumentRef;
  /** Green channel: the reason; the legal deadlines stay, an internal target is added. */
  priority?: Priority;
  applicationDate: IsoDate;
  handledOn: IsoDate;
  handler: string;
}

/** 信息表（二）: one row per year or segment within a year. */
export interface ContributionRow {
  divisionCode: string;
  /** 参保地名称. */
  divisionName?: string;
  year: number;
  startMonth: YearMonth;
  endMonth: YearMonth;
  months: number;
  monthlyBaseFen: Fen;
  employerRateBp: RateBp;
  accountRateBp: RateBp;
  personalRateBp: RateBp;
  creditedFen: Fen;
  creditedPersonalFen?: Fen;
  interestFen: Fen;
  interestPersonalFen?: Fen;
  /** Balance after this row: the previous row's balance + creditedFen + interestFen. */
  balanceFen: Fen;
  balancePersonalFen?: Fen;
  kind: "normal" | "make-up";
  /** Date the contribution was paid; required on emergency-deferred rows. */
  paidOn?: IsoDate;
  /** Deferred by a declared emergency (人社厅明电〔2020〕7号): normal months when paid ≤ 3 months after the window. */
  emergencyDeferred?: boolean;
  note?: string;
}

/** How credits were rounded: per row (base × months × rate, then rounded; default) or per month. */
export type CreditRounding = "row" | "month";

/** 信息表（一）fund block, numbered as on the paper form. */
export interface FundBlock {
  /** ① */ pre1998PersonalFen: Fen;
  /** ② */ from1998ToLastYearEndFen: Fen;
  /** ③ */ currentYearPrincipalFen: Fen;
  /** ④ = ① + ② + ③ */ personalAccountFen: Fen;
  /** ⑤ */ pooledFundFen: Fen;
  /** ⑥ = ④ + ⑤ */ totalFen: Fen;
}

/** 信息表 (transfer-out → transfer-in). */
export interface InsuranceRecordBody {
  recordNumber: string;
  person: {
    name: string;
    gender: "male" | "female";
    birthDate: IsoDate;
    idNumber: string;
    hukouDivisionCode: string;
    personalNumber?: string;
  };
  employer?: Employer;
  workStartMonth: YearMonth;
  personalContributionStartMonth?: YearMonth;
  firstContributionMonth: YearMonth;
  accountOpenedMonth?: YearMonth;
  localPeriod: { startMonth: YearMonth; endMonth: YearMonth };
  paidMonths: number;
  deemedMonths: number;
  deemedUntilMonth?: YearMonth;
  accountType: "general" | "temporary";
  transferDate: IsoDate;
  fund: FundBlock;
  contributions: ContributionRow[];
  creditRounding?: CreditRounding;
  uploadedOn: IsoDate;
  handler: string;
  /** The person's contribution voucher, attached by the transfer-out agency when the case had none. */
  voucher?: DocumentRef;
  /** The record this one corrects after a discrepancy. */
  supersedes?: string;
}

/** 基金划转 (transfer-out → transfer-in). */
export interface FundTransferBody {
  insuranceRecordId: string;
  person: PersonRef;
  personalAccountFen: Fen;
  pooledFundFen: Fen;
  totalFen: Fen;
  payer: BankAccount;
  payee: BankAccount;
  bankReference: string;
  paidAt: IsoDateTime;
  handler?: string;
  /** The fund transfer this one corrects after a discrepancy. */
  supersedes?: string;
}

/** 办结 (transfer-in → transfer-out). */
export interface CompletionBody {
  insuranceRecordId: string;
  fundTransferId: string;
  person: PersonRef;
  receivedTotalFen: Fen;
  newPersonalNumber?: string;
  completedOn: IsoDate;
  handler: string;
  note?: string;
}

/** 退回 with a closed reason code and a written explanation. */
export interface ReturnBody {
  reasonCode: ReturnReasonCode;
  explanation: string;
  person: PersonRef;
  returnedDocumentId: string;
  returnedOn: IsoDate;
  handler: string;
}

/** 核对不符 (transfer-in → transfer-out): holds the case until the disputed documents are superseded. */
export interface DiscrepancyBody {
  reasonCode: DiscrepancyReasonCode;
  explanation: string;
  person: PersonRef;
  /** The case's insurance-record and/or fund-transfer to be corrected. */
  disputedDocumentIds: string[];
  findings: { documentId: string; pointer: string; statedFen?: Fen; expectedFen?: Fen; note?: string }[];
  raisedOn: IsoDate;
  handler: string;
}

/**
 * 参保缴费凭证 (66号 art 3): issued by the agency the person leaves, held by the person. Its envelope is
 * addressed to the issuer itself (`to` = `from`) and its `caseId` is its own `id`: no case exists yet.
 */
export interface ContributionVoucherBody {
  voucherNumber: string;
  issuingAgency: AgencyParty;
  person: PersonRef & { socialSecurityNumber?: string; personalNumber?: string; hukouDivisionCode?: string };
  insuredPeriod: { startMonth: YearMonth; endMonth: YearMonth };
  paidMonths: number;
  deemedMonths: number;
  accountType: "general" | "temporary";
  /** 个人账户储存额 at issue: the last row's balance. */
  personalAccountFen: Fen;
  contributions: ContributionRow[];
  creditRounding?: CreditRounding;
  issuedOn: IsoDate;
  handler: string;
}

/** Transport receipt, sealed by the receiving gateway. */
export interface ReceiptBody {
  documentId: string;
  documentDigest: string;
  sealDigest: string;
  receivedAt: IsoDateTime;
  receivingAgency: string;
}

/** The receiving agency's system has processed the document. */
export interface BusinessReceiptBody {
  documentId: string;
  documentDigest: string;
  outcome: "accepted" | "rejected";
  processedAt: IsoDateTime;
  note?: string;
}

export interface BodyByType {
  "contact-letter": ContactLetterBody;
  "insurance-record": InsuranceRecordBody;
  "fund-transfer": FundTransferBody;
  completion: CompletionBody;
  return: ReturnBody;
  discrepancy: DiscrepancyBody;
  "contribution-voucher": ContributionVoucherBody;
  receipt: ReceiptBody;
  "business-receipt": BusinessReceiptBody;
}

/** The envelope, generic in its type so `doc.body` narrows with `doc.type`. */
export interface DocumentOf<T extends DocumentType> {
  jiexu: 1;
  id: string;
  type: T;
  caseId: string;
  from: string;
  to: string;
  issuedAt: IsoDateTime;
  replyTo?: string;
  priority?: "normal" | "green";
  body: BodyByType[T];
}

export type Document = { [T in DocumentType]: DocumentOf<T> }[DocumentType];

export interface SealedDocument {
  document: Document;
  seal: string;
}
