import type { LocalDate } from "../calendar/index.ts";

export type Gender = "male" | "female";

/** One stay in the insured's history: a place and its months (actual + deemed, 66号 art 12). */
export interface HistoryEntry {
  region: string;
  months: number;
  /** Months paid into a 临时基本养老保险缴费账户 there (66号 art 5(二)). */
  temporaryAccount: boolean;
}

/** The `jiexu assess` input contract (issue 3 item 7). History is oldest first. */
export interface AssessmentInput {
  hukouProvince: string;
  /** The place that holds, or is taking over, the pension relation. */
  currentProvince: string;
  gender: Gender;
  birthDate: LocalDate;
  moveDate: LocalDate;
  /** 组织或人社部门批准调动 (66号 art 5(三)): the age limit does not apply. */
  approvedTransfer: boolean;
  history: HistoryEntry[];
}

/** 66号 art 6 (一)…(四). */
export type BenefitPlaceRule = "A1" | "A2" | "A3" | "A4";

export interface AssessmentResult {
  benefitPlace: { region: string; rule: BenefitPlaceRule; reason: string };
  temporaryAccount: { required: boolean; reason: string };
}
