import { describe, expect, it } from "vitest";
import { AssessmentError, assess, parseAssessmentInput } from "../../../src/domain/assessment/index.ts";

const valid = {
  hukouProvince: "440000",
  currentProvince: "330000",
  gender: "male",
  birthDate: "1980-01-01",
  moveDate: "2025-01-01",
  approvedTransfer: false,
  history: [{ region: "440000", months: 130, temporaryAccount: false }],
};

const hk = (province: string, from: string) => ({ province, from });

function problemsOf(raw: unknown): string[] {
  try {
    assess(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(AssessmentError);
    expect((err as AssessmentError).code).toBe("ASSESSMENT_INPUT_INVALID");
    return ((err as AssessmentError).details as { problems: { path: string }[] }).problems.map((p) => p.path);
  }
  throw new Error("expected ASSESSMENT_INPUT_INVALID");
}

describe("assessment input", () => {
  it("accepts the documented contract and the issue's example result", () => {
    expect(assess(valid)).toEqual({
      benefitPlace: { region: "440000", rule: "A3", hukouProvince: "440000", reason: expect.any(String) },
      temporaryAccount: { required: false, rule: "UNDER_AGE_LIMIT", reason: expect.any(String) },
    });
  });

  it("keeps the optional 户籍 dates (人社部规〔2016〕5号) and leaves them out when absent", () => {
    const hukouHistory = [
      { province: "330000", from: "1980-01-01" },
      { province: "440100", from: "2000-06-01" },
    ];
    const parsed = parseAssessmentInput({ ...valid, hukouHistory, benefitAgeDate: "2040-01-01" });
    expect(parsed).toMatchObject({ hukouHistory, benefitAgeDate: "2040-01-01" });
    const plain = parseAssessmentInput(valid);
    expect("hukouHistory" in plain || "benefitAgeDate" in plain).toBe(false);
  });

  it("defaults the optional flags to false", () => {
    const { approvedTransfer: _a, ...rest } = valid;
    const history = [{ region: "330000", months: 10 }];
    expect(assess({ ...rest, history }).benefitPlace.rule).toBe("A4");
  });

  it.each([
    ["a non-object", [], [""]],
    ["a short province code", { ...valid, hukouProvince: "44" }, ["/hukouProvince"]],
    ["an unknown gender", { ...valid, gender: "x" }, ["/gender"]],
    ["an impossible date", { ...valid, birthDate: "1980-02-30" }, ["/birthDate"]],
    ["a move before birth", { ...valid, moveDate: "1979-12-31" }, ["/moveDate"]],
    ["a non-boolean flag", { ...valid, approvedTransfer: "no" }, ["/approvedTransfer"]],
    ["a typo'd key", { ...valid, hukou: "440000" }, ["/hukou"]],
    ["history not an array", { ...valid, history: {} }, ["/history"]],
    ["fractional months", { ...valid, history: [{ region: "440000", months: 1.5 }] }, ["/history/0/months"]],
    [
      "negative months and a bad region",
      { ...valid, history: [{ region: "x", months: -1 }] },
      ["/history/0/region", "/history/0/months"],
    ],
    ["an impossible benefitAgeDate", { ...valid, benefitAgeDate: "2040-13-01" }, ["/benefitAgeDate"]],
    ["benefit age before birth", { ...valid, benefitAgeDate: "1979-01-01" }, ["/benefitAgeDate"]],
    ["an empty hukouHistory", { ...valid, hukouHistory: [] }, ["/hukouHistory"]],
    ["a hukouHistory entry not an object", { ...valid, hukouHistory: ["440000"] }, ["/hukouHistory/0"]],
    [
      "a bad hukouHistory entry",
      { ...valid, hukouHistory: [{ province: "44", from: "1980-02-30", note: "x" }] },
      ["/hukouHistory/0/note", "/hukouHistory/0/province", "/hukouHistory/0/from"],
    ],
    [
      "hukouHistory out of order",
      { ...valid, hukouHistory: [hk("330000", "1990-01-01"), hk("440000", "1990-01-01")] },
      ["/hukouHistory/1/from"],
    ],
    [
      "hukouHistory not ending in hukouProvince",
      { ...valid, hukouHistory: [hk("440000", "1980-01-01"), hk("330000", "2000-01-01")] },
      ["/hukouHistory/1/province"],
    ],
    [
      "hukouHistory starting after the move",
      { ...valid, hukouHistory: [hk("440000", "2025-01-02")] },
      ["/hukouHistory/0/from"],
    ],
    [
      "hukouHistory starting after benefit age",
      { ...valid, moveDate: "2041-01-01", benefitAgeDate: "2040-01-01", hukouHistory: [hk("440000", "2040-06-01")] },
      ["/hukouHistory/0/from"],
    ],
  ])("rejects %s", (_what, raw, paths) => {
    expect(problemsOf(raw)).toEqual(paths);
  });
});
