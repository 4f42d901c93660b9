import { hukouForBenefitPlace, hukouMovedIn, provinceOf } from "./hukou.ts";
import { decideTemporaryAccount } from "./temporary-account.ts";
import type { AssessmentInput, TemporaryAccountConversion } from "./types.ts";

const RULE = "人社部规〔2016〕5号";

/** The 原参保地 that kept the relation while the temporary account ran: the latest ordinary stay elsewhere. */
function relationHolder(input: AssessmentInput, converted: string): string | undefined {
  const ordinary = input.history.filter((e) => !e.temporaryAccount && provinceOf(e.region) !== converted);
  const last = ordinary.at(-1);
  return last === undefined ? undefined : provinceOf(last.region);
}

/** What happens to the relation once the account is ordinary: where it goes, or how the place now counts. */
function describeOutcome(input: AssessmentInput, converted: string): string {
  if (provinceOf(input.currentProvince) !== converted) {
    return `该地缴费年限按一般参保地计入，待遇领取地按66号文第六条确定`;
  }
  const holder = relationHolder(input, converted);
  const transfer = holder === undefined ? "" : `原参保地（${holder}）保留的基本养老保险关系转入该地，`;
  return `${transfer}按回户籍所在地参保办理（66号文第五条第一项）`;
}

/**
 * 人社部规〔2016〕5号: a temporary account becomes a normal (一般) relation when the 户籍 moves
 * into its province. The 户籍 that counts is the one held at benefit age (or now, without
 * `benefitAgeDate`), so a move-in after benefit age converts nothing. The account may be in the
 * history or the one the current move opens.
 */
export function decideConversion(
  input: AssessmentInput,
  temp = decideTemporaryAccount(input),
): TemporaryAccountConversion | undefined {
  const hukou = hukouForBenefitPlace(input);
  const heldThere = input.history.some((e) => e.temporaryAccount && provinceOf(e.region) === hukou);
  const openedThere = temp.required && provinceOf(input.currentProvince) === hukou;
  if (!heldThere && !openedThere) return undefined;
  const movedIn = hukouMovedIn(input, hukou);
  const when = movedIn === null ? `户籍在临时账户所在地（${hukou}）` : `户籍于${movedIn}迁入临时账户所在地（${hukou}）`;
  return {
    region: hukou,
    hukouMovedIn: movedIn,
    reason: `${when}，临时基本养老保险缴费账户转为正常基本养老保险关系（${RULE}）；${describeOutcome(input, hukou)}`,
  };
}
