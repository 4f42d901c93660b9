import type { LocalDate } from "../calendar/index.ts";

export type Gender = "male" | "female";

/** One stay in the insured's history: a place and its months (actual + deemed, 66号 art 12). */
export interface HistoryEntry {
  region: string;
  months: number;
  /** Months paid into a 临时基本养老保险缴费账户 there (66号 art 5(二)). */
  temporaryAccount: boolean;
}

/** One 户籍 the person held, from the day it was registered (户口迁入). */
export interface HukouChange {
  province: string;
  from: LocalDate;
}

/** The `jiexu assess` input contract (issue 3 item 7; issue 11 adds the 户籍 dates). History is oldest first. */
export interface AssessmentInput {
  /** The 户籍 held now; with `hukouHistory`, its last entry's province. */
  hukouProvince: string;
  /** The place that holds, or is taking over, the pension relation. */
  currentProvince: string;
  gender: Gender;
  birthDate: LocalDate;
  moveDate: LocalDate;
  /** 组织或人社部门批准调动 (66号 art 5(三)): the age limit does not apply. */
  approvedTransfer: boolean;
  history: HistoryEntry[];
  /**
   * Every 户籍 held, oldest first (the first one no later than `moveDate`). Without it the
   * 户籍 is taken as `hukouProvince` at every date, as before issue 11.
   */
  hukouHistory?: HukouChange[];
  /**
   * The day the person reaches benefit age (法定退休年龄). Given by the caller: statutory ages
   * (and the 2025 gradual raise) are not modelled here. 人社部规〔2016〕5号 judges 户籍 on this day.
   */
  benefitAgeDate?: LocalDate;
}

/** 66号 art 6 (一)…(四). */
export type BenefitPlaceRule = "A1" | "A2" | "A3" | "A4";

/**
 * 66号 art 5: (一) back to the 户籍 province, (二) at or over the age limit elsewhere,
 * (三) approved official transfer; UNDER_AGE_LIMIT is the plain transfer below the limit.
 */
export type TemporaryAccountRule = "HUKOU_RETURN" | "AGE_LIMIT_REACHED" | "APPROVED_TRANSFER" | "UNDER_AGE_LIMIT";

/** 人社部规〔2016〕5号: a temporary account in the province the 户籍 moved into becomes a normal relation. */
export interface TemporaryAccountConversion {
  /** Province of the converted temporary account (= the 户籍 province that counts). */
  region: string;
  /** The day the 户籍 moved in, when `hukouHistory` tells it. */
  hukouMovedIn: LocalDate | null;
  reason: string;
}

export interface AssessmentResult {
  /** `hukouProvince`: the 户籍 province the decision used (as of benefit age when `benefitAgeDate` is given). */
  benefitPlace: { region: string; rule: BenefitPlaceRule; hukouProvince: string; reason: string };
  /** `required` answers for the move on `moveDate`; `conversion` is present only when a temporary account converts. */
  temporaryAccount: {
    required: boolean;
    rule: TemporaryAccountRule;
    reason: string;
    conversion?: TemporaryAccountConversion;
  };
}
