import { describe, expect, it } from "vitest";
import { AssessmentError, assess } from "../../../src/domain/assessment/index.ts";

const valid = {
  hukouProvince: "440000",
  currentProvince: "330000",
  gender: "male",
  birthDate: "1980-01-01",
  moveDate: "2025-01-01",
  approvedTransfer: false,
  history: [{ region: "440000", months: 130, temporaryAccount: false }],
};

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
      benefitPlace: { region: "440000", rule: "A3", reason: expect.any(String) },
      temporaryAccount: { required: false, reason: expect.any(String) },
    });
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
  ])("rejects %s", (_what, raw, paths) => {
    expect(problemsOf(raw)).toEqual(paths);
  });
});
