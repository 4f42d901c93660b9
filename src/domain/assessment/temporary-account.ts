import type { LocalDate } from "../calendar/index.ts";
import { hukouOn, provinceOf } from "./hukou.ts";
import type { AssessmentInput, AssessmentResult, Gender } from "./types.ts";

type TemporaryAccount = Omit<AssessmentResult["temporaryAccount"], "conversion">;

// 66号 art 5(二): 男性年满50周岁和女性年满40周岁.
const AGE_LIMIT: Record<Gender, number> = { male: 50, female: 40 };
const GENDER_ZH: Record<Gender, string> = { male: "男性", female: "女性" };

/**
 * Completed years of age on `on`, by calendar date: the birthday counts as reached on the day
 * itself. A 29 February birthday is reached on 28 February in common years (民法典 art 202:
 * no corresponding day → the last day of that month).
 */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  const year = Number(on.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const birthday = birthDate.slice(5) === "02-29" && !leap ? "02-28" : birthDate.slice(5);
  return on.slice(5) >= birthday ? years : years - 1;
}

/**
 * Whether the new place must open a 临时基本养老保险缴费账户 (66号 art 5) for the move on
 * `moveDate`, judged on the 户籍 held that day (a later move-in converts the account instead,
 * see conversion.ts).
 */
export function decideTemporaryAccount(input: AssessmentInput): TemporaryAccount {
  if (input.approvedTransfer) {
    return {
      required: false,
      rule: "APPROVED_TRANSFER",
      reason: "经组织或人力资源社会保障部门批准调动，不受年龄限制，转移基本养老保险关系（66号文第五条第三项）",
    };
  }
  const hukou = hukouOn(input, input.moveDate);
  if (provinceOf(input.currentProvince) === hukou) {
    return {
      required: false,
      rule: "HUKOU_RETURN",
      reason: `回户籍所在地（${hukou}）就业参保，转移基本养老保险关系（66号文第五条第一项）`,
    };
  }
  const age = ageOn(input.birthDate, input.moveDate);
  const limit = AGE_LIMIT[input.gender];
  const who = `${GENDER_ZH[input.gender]}，迁移时${age}周岁`;
  if (age >= limit) {
    return {
      required: true,
      rule: "AGE_LIMIT_REACHED",
      reason: `${who}，已满${limit}周岁且未回户籍所在地：基本养老保险关系保留在原参保地，新参保地建立临时基本养老保险缴费账户（66号文第五条第二项）`,
    };
  }
  return {
    required: false,
    rule: "UNDER_AGE_LIMIT",
    reason: `${who}，未满${limit}周岁：转移基本养老保险关系，无需建立临时账户（66号文第五条）`,
  };
}
