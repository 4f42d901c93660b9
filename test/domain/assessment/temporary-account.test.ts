import { describe, expect, it } from "vitest";
import { ageOn, assess, type AssessmentInput } from "../../../src/domain/assessment/index.ts";

function move(overrides: Partial<AssessmentInput>): AssessmentInput {
  return {
    hukouProvince: "440000",
    currentProvince: "330000",
    gender: "male",
    birthDate: "1975-03-15",
    moveDate: "2025-03-15",
    approvedTransfer: false,
    history: [{ region: "440000", months: 200, temporaryAccount: false }],
    ...overrides,
  };
}

describe("ageOn", () => {
  it.each([
    ["1975-03-15", "2025-03-15", 50],
    ["1975-03-15", "2025-03-14", 49],
    ["1975-03-15", "2025-12-31", 50],
    ["1976-02-29", "2026-02-28", 50], // no 29 Feb in 2026: the birthday is the month's last day
    ["1976-02-29", "2026-02-27", 49],
    ["1976-02-29", "2024-02-28", 47],
    ["1976-02-29", "2024-02-29", 48],
  ])("born %s, on %s: %i", (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });
});

describe("temporary account (66号 art 5)", () => {
  it.each([
    { why: "a man moves on his 50th birthday", input: move({}), required: true },
    { why: "a man moves the day before his 50th birthday", input: move({ moveDate: "2025-03-14" }), required: false },
    {
      why: "a woman moves on her 40th birthday",
      input: move({ gender: "female", birthDate: "1985-03-15" }),
      required: true,
    },
    {
      why: "a woman moves the day before her 40th birthday",
      input: move({ gender: "female", birthDate: "1985-03-15", moveDate: "2025-03-14" }),
      required: false,
    },
    {
      why: "a 45-year-old woman moves (her limit is 40)",
      input: move({ gender: "female", birthDate: "1980-01-01" }),
      required: true,
    },
    { why: "a 45-year-old man moves (his limit is 50)", input: move({ birthDate: "1980-01-01" }), required: false },
    {
      why: "a 55-year-old man returns to his hukou province",
      input: move({ birthDate: "1970-01-01", currentProvince: "440000" }),
      required: false,
    },
    {
      why: "a 55-year-old man returns to a city in his hukou province",
      input: move({ birthDate: "1970-01-01", hukouProvince: "440300", currentProvince: "440100" }),
      required: false,
    },
    {
      why: "a 55-year-old man moves on an approved official transfer",
      input: move({ birthDate: "1970-01-01", approvedTransfer: true }),
      required: false,
    },
  ])("required=$required when $why", ({ input, required }) => {
    const { temporaryAccount } = assess(input);
    expect(temporaryAccount.required).toBe(required);
    expect(temporaryAccount.reason).toMatch(/66号文第五条/);
  });
});
