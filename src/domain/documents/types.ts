import type { Fen } from "../money.ts";

/**
 * Wire types of the transfer documents (docs/contracts.md "Document envelope"; fields per
 * docs/references.md "Transfer forms and amounts").
 * They mirror schemas/*.schema.json; the schemas are the contract, these are their TypeScript view.
 */
export const DOCUMENT_TYPES = [
  "contact-letter",
  "insurance-record",
  "fund-transfer",
  "completion",
  "return",
  "receipt",
  "business-receipt",
] as const;

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
  "FUND_MISMATCH",
  "UNKNOWN_AGENCY",
  "TRANSFER_IN_PROGRESS",
  "NOT_ELIGIBLE",
] as const;

export type ReturnReasonCode = (typeof RETURN_REASON_CODES)[number];

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
  applicationDate: IsoDate;
  handledOn: IsoDate;
  handler: string;
}

/** 信息表（二）: one row per year or segment within a year. */
export interface ContributionRow {
  divisionCode: string;
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
  balanceFen: Fen;
  kind: "normal" | "make-up";
  note?: string;
}

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
  uploadedOn: IsoDate;
  handler: string;
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
