import type { LocalDate } from "../calendar/index.ts";
import type { AssessmentInput } from "./types.ts";

/** 户籍所在地 is judged at province level (66号 art 5), so every code is compared as its province. */
export function provinceOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/**
 * The 户籍 province held on `on`: the latest `hukouHistory` entry registered on or before that
 * day. Without a history the present `hukouProvince` stands for every date.
 */
export function hukouOn(input: AssessmentInput, on: LocalDate): string {
  const changes = input.hukouHistory ?? [];
  const held = changes.filter((c) => c.from <= on).at(-1) ?? changes[0];
  return provinceOf(held?.province ?? input.hukouProvince);
}

/**
 * The 户籍 that decides the benefit place: 人社部规〔2016〕5号 takes the one held on the day
 * benefit age is reached; with no `benefitAgeDate` the present one (a projection).
 */
export function hukouForBenefitPlace(input: AssessmentInput): string {
  return input.benefitAgeDate === undefined ? provinceOf(input.hukouProvince) : hukouOn(input, input.benefitAgeDate);
}

/**
 * The day the 户籍 last moved into `province` (the start of its latest uninterrupted stay there,
 * no later than benefit age when that is given); null when no history tells it.
 */
export function hukouMovedIn(input: AssessmentInput, province: string): LocalDate | null {
  const limit = input.benefitAgeDate;
  const changes = (input.hukouHistory ?? []).filter((c) => limit === undefined || c.from <= limit);
  let movedIn: LocalDate | null = null;
  for (const [i, change] of changes.entries()) {
    const here = provinceOf(change.province) === province;
    const before = i > 0 && provinceOf(changes[i - 1]!.province) === province;
    if (here && !before) movedIn = change.from;
    if (!here) movedIn = null;
  }
  return movedIn;
}

/** Says which 户籍 the benefit-place decision used and why (appended to its reason). */
export function describeHukouBasis(input: AssessmentInput, hukou: string): string {
  const rule = "以达到待遇领取年龄时的户籍为准（人社部规〔2016〕5号）";
  if (input.benefitAgeDate !== undefined && input.hukouHistory !== undefined) {
    return `；户籍所在地按达到待遇领取年龄之日（${input.benefitAgeDate}）的户籍（${hukou}）认定，${rule}`;
  }
  if (input.benefitAgeDate !== undefined) {
    return `；户籍所在地${rule}，未提供户籍变动记录（hukouHistory），按现户籍（${hukou}）认定`;
  }
  if (input.hukouHistory !== undefined) {
    return `；户籍所在地${rule}，未提供达到待遇领取年龄日期（benefitAgeDate），按现户籍（${hukou}）测算`;
  }
  return "";
}
