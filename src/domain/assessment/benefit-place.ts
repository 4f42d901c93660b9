import { decideConversion } from "./conversion.ts";
import { describeHukouBasis, hukouForBenefitPlace, provinceOf } from "./hukou.ts";
import type { AssessmentInput, AssessmentResult } from "./types.ts";

type BenefitPlace = AssessmentResult["benefitPlace"];

// 66号 art 6 (二)/(三): "累计缴费年限满10年"; years include 视同缴费年限 (art 12).
const TEN_YEARS_IN_MONTHS = 120;

/** "10年2个月" for agency staff reading the reason. */
export function formatMonths(months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  return rest === 0 ? `${years}年` : `${years}年${rest}个月`;
}

/**
 * Months per province, temporary-account months left out: a 临时账户 only records
 * contributions, the relation stays elsewhere, so that place is never a benefit place —
 * unless the account was converted (人社部规〔2016〕5号), then its months are ordinary.
 */
function monthsByProvince(input: AssessmentInput, converted: string | undefined): Map<string, number> {
  const totals = new Map<string, number>();
  for (const entry of input.history) {
    if (entry.temporaryAccount && provinceOf(entry.region) !== converted) continue;
    const province = provinceOf(entry.region);
    totals.set(province, (totals.get(province) ?? 0) + entry.months);
  }
  return totals;
}

/** Earlier places, most recent first, each listed once (by its latest stay). */
function earlierPlacesNewestFirst(input: AssessmentInput, current: string, converted: string | undefined): string[] {
  const seen = new Set<string>();
  for (const entry of [...input.history].reverse()) {
    const province = provinceOf(entry.region);
    if (province !== current && (!entry.temporaryAccount || province === converted)) seen.add(province);
  }
  return [...seen];
}

/**
 * 待遇领取地 per 66号 art 6 (一)–(四), with the rule that decided it. The 户籍 is the one held at
 * benefit age (人社部规〔2016〕5号) and a converted temporary account counts as an ordinary place.
 */
export function decideBenefitPlace(input: AssessmentInput, converted = decideConversion(input)?.region): BenefitPlace {
  const hukou = hukouForBenefitPlace(input);
  const decision = decideByArticle6(input, hukou, converted);
  return { ...decision, hukouProvince: hukou, reason: decision.reason + describeHukouBasis(input, hukou) };
}

function decideByArticle6(
  input: AssessmentInput,
  hukou: string,
  converted: string | undefined,
): Omit<BenefitPlace, "hukouProvince"> {
  const current = provinceOf(input.currentProvince);
  if (current === hukou) {
    return {
      region: hukou,
      rule: "A1",
      reason: `基本养老保险关系在户籍所在地（${hukou}），由户籍所在地办理待遇领取手续（66号文第六条第一项）`,
    };
  }
  const totals = monthsByProvince(input, converted);
  const here = totals.get(current) ?? 0;
  if (here >= TEN_YEARS_IN_MONTHS) {
    return {
      region: current,
      rule: "A2",
      reason: `基本养老保险关系所在地（${current}）累计缴费年限${formatMonths(here)}，满10年，在该地办理待遇领取手续（66号文第六条第二项）`,
    };
  }
  const previous = earlierPlacesNewestFirst(input, current, converted).find(
    (p) => (totals.get(p) ?? 0) >= TEN_YEARS_IN_MONTHS,
  );
  if (previous !== undefined) {
    return {
      region: previous,
      rule: "A3",
      reason: `基本养老保险关系所在地（${current}）累计缴费年限${formatMonths(here)}，不满10年；转回上一个缴费年限满10年的原参保地（${previous}，${formatMonths(totals.get(previous) ?? 0)}）办理（66号文第六条第三项，临时账户所在地除外）`,
    };
  }
  return {
    region: hukou,
    rule: "A4",
    reason: `各参保地累计缴费年限均不满10年，基本养老保险关系及相应资金归集到户籍所在地（${hukou}）办理（66号文第六条第四项）`,
  };
}
