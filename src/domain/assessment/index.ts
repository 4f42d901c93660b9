import { decideBenefitPlace } from "./benefit-place.ts";
import { parseAssessmentInput } from "./input.ts";
import { decideTemporaryAccount } from "./temporary-account.ts";
import type { AssessmentResult } from "./types.ts";

/**
 * 66号 arts 5–6 for one insured person: where benefits will be received and whether the new
 * place opens a temporary account. Accepts raw JSON (the `jiexu assess` contract) and throws
 * `AssessmentError` (`ASSESSMENT_INPUT_INVALID`) when it does not fit.
 */
export function assess(raw: unknown): AssessmentResult {
  const input = parseAssessmentInput(raw);
  return { benefitPlace: decideBenefitPlace(input), temporaryAccount: decideTemporaryAccount(input) };
}

export { decideBenefitPlace, formatMonths, provinceOf } from "./benefit-place.ts";
export { ageOn, decideTemporaryAccount } from "./temporary-account.ts";
export { parseAssessmentInput } from "./input.ts";
export { AssessmentError, type AssessmentErrorCode } from "./errors.ts";
export type { AssessmentInput, AssessmentResult, BenefitPlaceRule, Gender, HistoryEntry } from "./types.ts";
