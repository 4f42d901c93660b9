import { describe, expect, it } from "vitest";
import { CaseError, evolve, type CaseState } from "../../../src/domain/transfer-case/index.ts";
import { completionSent, decider, histories, letterSent, registered } from "./fixtures.ts";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CaseError) return err.code;
    throw err;
  }
  return undefined;
}

describe("evolve", () => {
  it("starts from an empty case", () => {
    expect(decider.initialState()).toEqual({ status: "empty" });
  });

  it.each(Object.entries(histories))("replays %s", (name, events) => {
    const state = decider.replay(events);
    const status = name === "empty" ? "empty" : name.replace(/^(in|out): /, "").replace(/,.*$/, "");
    expect(state.status).toBe(status);
  });

  it("is pure: the previous state is not mutated", () => {
    const before = decider.replay([registered]);
    const snapshot = structuredClone(before);
    evolve(before, letterSent);
    expect(before).toEqual(snapshot);
  });

  it("refuses a stored history that does not fit: event on an empty case", () => {
    expect(codeOf(() => evolve({ status: "empty" }, letterSent))).toBe("CASE_NOT_OPENED");
  });

  it("refuses a second opening event", () => {
    expect(codeOf(() => evolve(decider.replay([registered]), registered))).toBe("CASE_ALREADY_OPENED");
  });

  it("refuses events on a closed case", () => {
    const closed: CaseState = decider.replay(histories["in: completed"]!);
    expect(codeOf(() => evolve(closed, completionSent))).toBe("CASE_CLOSED");
  });
});
