import { describe, expect, it } from "vitest";
import { assess, type AssessmentInput, hukouOn } from "../../../src/domain/assessment/index.ts";

const stay = (region: string, months: number, temporaryAccount = false) => ({ region, months, temporaryAccount });
const hukou = (province: string, from: string) => ({ province, from });

/** A man born 1964-08-10 (benefit age 60 before the 2025 reform): 湖南 户籍 until it moves to 浙江. */
function person(overrides: Partial<AssessmentInput>): AssessmentInput {
  return {
    hukouProvince: "330000",
    currentProvince: "330000",
    gender: "male",
    birthDate: "1964-08-10",
    moveDate: "2012-09-01",
    approvedTransfer: false,
    history: [stay("440000", 72), stay("330000", 96)],
    hukouHistory: [hukou("430000", "1964-08-10"), hukou("330000", "2025-09-01")],
    ...overrides,
  };
}

describe("hukouOn", () => {
  const input = person({});
  it.each([
    ["1964-08-10", "430000"],
    ["2025-08-31", "430000"],
    ["2025-09-01", "330000"], // registered that day: it counts that day
    ["2030-01-01", "330000"],
  ])("on %s the 户籍 is %s", (on, province) => {
    expect(hukouOn(input, on)).toBe(province);
  });
});

describe("户籍 as of benefit age (人社部规〔2016〕5号)", () => {
  it("decides art 6 on the 户籍 held at benefit age, not the present one", () => {
    const { benefitPlace } = assess(person({ benefitAgeDate: "2024-08-10" }));
    expect(benefitPlace).toMatchObject({ rule: "A4", region: "430000", hukouProvince: "430000" });
    expect(benefitPlace.reason).toMatch(/人社部规〔2016〕5号/);
  });

  it("counts a 户籍 registered on the very day benefit age is reached", () => {
    const { benefitPlace } = assess(person({ benefitAgeDate: "2025-09-01" }));
    expect(benefitPlace).toMatchObject({ rule: "A1", region: "330000", hukouProvince: "330000" });
  });

  it("projects on the present 户籍 when benefitAgeDate is not given, and says so", () => {
    const { benefitPlace } = assess(person({}));
    expect(benefitPlace).toMatchObject({ rule: "A1", region: "330000", hukouProvince: "330000" });
    expect(benefitPlace.reason).toMatch(/benefitAgeDate/);
  });

  it("takes hukouProvince as the 户籍 at benefit age when no history is given", () => {
    const { benefitPlace } = assess(person({ hukouHistory: undefined, benefitAgeDate: "2024-08-10" }));
    expect(benefitPlace).toMatchObject({ rule: "A1", hukouProvince: "330000" });
  });

  it("judges the temporary account on the 户籍 held on the move date", () => {
    const moved = { birthDate: "1970-01-01", moveDate: "2025-06-01", history: [stay("440000", 200)] };
    const before = hukou("330000", "2025-05-31");
    const after = hukou("330000", "2025-06-02");
    const at = (change: { province: string; from: string }) =>
      assess(person({ ...moved, hukouHistory: [hukou("430000", "1970-01-01"), change] })).temporaryAccount;
    expect(at(before)).toMatchObject({ required: false, rule: "HUKOU_RETURN" });
    expect(at(after)).toMatchObject({ required: true, rule: "AGE_LIMIT_REACHED" });
  });
});

describe("temporary account converted when the 户籍 moves in (人社部规〔2016〕5号)", () => {
  /** 15 years in 广东, then 浙江 at 52 on a temporary account; the 户籍 moves from 湖南 to 浙江 in 2024. */
  const onTemporaryAccount = person({
    birthDate: "1970-05-20",
    moveDate: "2022-06-01",
    history: [stay("440000", 180), stay("330000", 30, true)],
    hukouHistory: [hukou("430000", "1970-05-20"), hukou("330000", "2024-12-01")],
  });

  it("converts the account where the 户籍 moved in and brings the relation there (A1)", () => {
    const { benefitPlace, temporaryAccount } = assess(onTemporaryAccount);
    expect(temporaryAccount).toMatchObject({ required: true, rule: "AGE_LIMIT_REACHED" });
    expect(temporaryAccount.conversion).toMatchObject({ region: "330000", hukouMovedIn: "2024-12-01" });
    expect(temporaryAccount.conversion?.reason).toMatch(/人社部规〔2016〕5号/);
    expect(benefitPlace).toMatchObject({ rule: "A1", region: "330000" });
  });

  it("converts nothing when the 户籍 moves in after benefit age", () => {
    const result = assess({ ...onTemporaryAccount, benefitAgeDate: "2024-11-30" });
    expect(result.temporaryAccount.conversion).toBeUndefined();
    expect(result.benefitPlace).toMatchObject({ rule: "A3", region: "440000", hukouProvince: "430000" });
  });

  it("converts nothing when the 户籍 moved in and out again before benefit age", () => {
    const hukouHistory = [hukou("430000", "1970-05-20"), hukou("330000", "2024-12-01"), hukou("440000", "2026-01-10")];
    const result = assess({ ...onTemporaryAccount, hukouProvince: "440000", hukouHistory });
    expect(result.temporaryAccount.conversion).toBeUndefined();
  });

  it("converts the account the current move opens when the 户籍 follows later", () => {
    const hukouHistory = [hukou("430000", "1970-05-20"), hukou("330000", "2025-08-01")];
    const input = { ...onTemporaryAccount, moveDate: "2025-06-01", history: [stay("440000", 180)], hukouHistory };
    const { temporaryAccount, benefitPlace } = assess(input);
    expect(temporaryAccount).toMatchObject({
      required: true,
      conversion: { region: "330000", hukouMovedIn: "2025-08-01" },
    });
    expect(benefitPlace.rule).toBe("A1");
  });

  it("counts converted months as an ordinary place after moving on (A3 back to it)", () => {
    const history = [stay("440000", 100), stay("330000", 125, true), stay("320000", 30)];
    const base = { ...onTemporaryAccount, currentProvince: "320000", history };
    const converted = assess(base);
    expect(converted.temporaryAccount.conversion?.region).toBe("330000");
    expect(converted.benefitPlace).toMatchObject({ rule: "A3", region: "330000" });
    // The same months left on a temporary account (户籍 still in 湖南) make no 10-year place.
    const kept = assess({ ...base, hukouProvince: "430000", hukouHistory: [hukou("430000", "1970-05-20")] });
    expect(kept.temporaryAccount.conversion).toBeUndefined();
    expect(kept.benefitPlace).toMatchObject({ rule: "A4", region: "430000" });
  });

  it("converts without a move-in date when only the present 户籍 is known", () => {
    const { temporaryAccount } = assess({ ...onTemporaryAccount, hukouHistory: undefined });
    expect(temporaryAccount.conversion).toMatchObject({ region: "330000", hukouMovedIn: null });
  });
});
