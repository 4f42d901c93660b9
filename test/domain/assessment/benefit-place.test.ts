import { describe, expect, it } from "vitest";
import { assess, type AssessmentInput } from "../../../src/domain/assessment/index.ts";

/** A 35-year-old man moving in 2025: far from both age limits, so only art 6 is exercised. */
function person(overrides: Partial<AssessmentInput>): AssessmentInput {
  return {
    hukouProvince: "440000",
    currentProvince: "330000",
    gender: "male",
    birthDate: "1990-05-01",
    moveDate: "2025-06-01",
    approvedTransfer: false,
    history: [],
    ...overrides,
  };
}

const stay = (region: string, months: number, temporaryAccount = false) => ({ region, months, temporaryAccount });

describe("benefit-receiving place (66号 art 6)", () => {
  it.each([
    {
      rule: "A1",
      why: "the relation is in the hukou province, whatever the years",
      input: person({ currentProvince: "440000", history: [stay("330000", 150), stay("440000", 12)] }),
      region: "440000",
    },
    {
      rule: "A1",
      why: "hukou and relation compared at province level (440100 is in 440000)",
      input: person({ hukouProvince: "440300", currentProvince: "440100", history: [stay("440100", 5)] }),
      region: "440000",
    },
    {
      rule: "A2",
      why: "exactly 10 years (120 months) at the current place",
      input: person({ history: [stay("440000", 60), stay("330000", 120)] }),
      region: "330000",
    },
    {
      rule: "A2",
      why: "10 years at the current place across two separate stays",
      input: person({ history: [stay("330000", 70), stay("320000", 30), stay("330000", 50)] }),
      region: "330000",
    },
    {
      rule: "A3",
      why: "119 months here, back to the last place with 10 years",
      input: person({ history: [stay("320000", 130), stay("310000", 125), stay("330000", 119)] }),
      region: "310000",
    },
    {
      rule: "A3",
      why: "the most recent 10-year place is skipped when its years were on a temporary account",
      input: person({ history: [stay("320000", 130), stay("310000", 125, true), stay("330000", 20)] }),
      region: "320000",
    },
    {
      rule: "A3",
      why: "the hukou province itself can be the last 10-year place",
      input: person({ history: [stay("440000", 121), stay("330000", 30)] }),
      region: "440000",
    },
    {
      rule: "A4",
      why: "no place reaches 10 years",
      input: person({ history: [stay("320000", 119), stay("310000", 100), stay("330000", 60)] }),
      region: "440000",
    },
    {
      rule: "A4",
      why: "temporary-account months do not make a 10-year place",
      input: person({ history: [stay("320000", 200, true), stay("330000", 60)] }),
      region: "440000",
    },
    {
      rule: "A4",
      why: "no history at all",
      input: person({}),
      region: "440000",
    },
  ])("$rule when $why", ({ rule, input, region }) => {
    const { benefitPlace } = assess(input);
    expect(benefitPlace.rule).toBe(rule);
    expect(benefitPlace.region).toBe(region);
    expect(benefitPlace.reason).toMatch(/66号文第六条/);
  });

  it("counts deemed years as given in months (actual + deemed, art 12)", () => {
    expect(assess(person({ history: [stay("330000", 96 + 24)] })).benefitPlace.rule).toBe("A2");
  });
});
