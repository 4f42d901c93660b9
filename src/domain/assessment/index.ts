import { decideBenefitPlace } from "./benefit-place.ts";
import { decideConversion } from "./conversion.ts";
import { parseAssessmentInput } from "./input.ts";
import { decideTemporaryAccount } from "./temporary-account.ts";
import type { AssessmentResult } from "./types.ts";

/**
 * 66号 arts 5–6 for one insured person, with 人社部规〔2016〕5号 on 户籍: where benefits will be
 * received, whether the new place opens a temporary account, and whether a temporary account
 * converts to a normal relation. Accepts raw JSON (the `jiexu assess` contract) and throws
 * `AssessmentError` (`ASSESSMENT_INPUT_INVALID`) when it does not fit.
 */
export function assess(raw: unknown): AssessmentResult {
  const input = parseAssessmentInput(raw);
  const temporaryAccount = decideTemporaryAccount(input);
  const conversion = decideConversion(input, temporaryAccount);
  return {
    benefitPlace: decideBenefitPlace(input, conversion?.region),
    temporaryAccount: conversion === undefined ? temporaryAccount : { ...temporaryAccount, conversion },
  };
}

export { decideBenefitPlace, formatMonths } from "./benefit-place.ts";
export { decideConversion } from "./conversion.ts";
export { hukouForBenefitPlace, hukouOn, provinceOf } from "./hukou.ts";
export { ageOn, decideTemporaryAccount } from "./temporary-account.ts";
export { parseAssessmentInput } from "./input.ts";
export { AssessmentError, type AssessmentErrorCode } from "./errors.ts";
export type {
  AssessmentInput,
  AssessmentResult,
  BenefitPlaceRule,
  Gender,
  HistoryEntry,
  HukouChange,
  TemporaryAccountConversion,
  TemporaryAccountRule,
} from "./types.ts";
