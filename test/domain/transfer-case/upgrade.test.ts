import { describe, expect, it } from "vitest";
import { createCalendar } from "../../../src/domain/calendar/index.ts";
import {
  type CaseState,
  type DeadlinePolicy,
  toPriority,
  upgradeState,
} from "../../../src/domain/transfer-case/index.ts";
import { decider, deadline, histories, IN, letterReceived, OUT, window440 } from "./fixtures.ts";

const policy: DeadlinePolicy = { calendar: createCalendar(), stepWorkingDays: 15, priorityTargetWorkingDays: 5 };

/**
 * A transfer-out priority case as stored before issue 11: the contact letter received on 03-06 started a
 * 5-WD record-and-funds clock (07, 10–13 → 03-13) with a make-up date and no target; drizzle/0003 gave
 * the flag its reason shape and left the deadline alone.
 */
function storedBeforeIssue11(priority: unknown = { reasonCode: "OTHER" }): CaseState {
  return {
    status: "contact-letter-received",
    caseId: "case-old-1",
    view: "transfer-out",
    agencyId: OUT,
    counterpartId: IN,
    flags: { priority, temporaryAccount: false, emergencyDeferred: false },
    emergencyWindows: [],
    documents: { "contact-letter": "CL-1" },
    openedAt: "2025-03-06T02:00:00.000Z",
    deadline: {
      step: "record-and-funds",
      owedBy: OUT,
      startedOn: "2025-03-06",
      workingDays: 5,
      due: "2025-03-13",
      makeUpBy: "2025-06-30",
      calendarCoverage: "official",
      emergencyDeferred: false,
    },
  } as unknown as CaseState;
}

// 15 WD from 03-06: 07 (1), 10–14 (6), 17–21 (11), 24–27 (15); the 5-WD target keeps the old date.
const upgraded = deadline("record-and-funds", OUT, "2025-03-06", "2025-03-27", {
  target: { workingDays: 5, due: "2025-03-13" },
});

describe("upgradeState: open priority cases stored before issue 11", () => {
  it.each([
    ["with the migrated reason", { reasonCode: "OTHER" }],
    ["with the old boolean flag", true],
  ])(
    "given a 5-WD deadline without target (%s), the legal deadline is 15 WD from the same start plus the target",
    (_what, priority) => {
      const state = upgradeState(storedBeforeIssue11(priority), policy);
      expect(state).toMatchObject({ status: "contact-letter-received", deadline: upgraded });
      expect(state).not.toHaveProperty("deadline.makeUpBy");
      expect(decider.upgrade(storedBeforeIssue11(priority))).toEqual(state);
    },
  );

  it("recounts with the case's declared emergency windows", () => {
    const stored = { ...storedBeforeIssue11(), emergencyWindows: [window440] } as CaseState;
    // 03-17–21 paused: 07 (1), 10–14 (6), 24–28 (11), 31–04-03 (15).
    expect(upgradeState(stored, policy)).toMatchObject({
      deadline: { due: "2025-04-03", emergencyDeferred: true, target: { due: "2025-03-13" } },
      flags: { emergencyDeferred: true },
    });
  });

  it.each([
    ["a case that is not a priority case", storedBeforeIssue11(null)],
    ["a priority case already on the statutory term", decider.replay([prioritised()])],
    ["a closed case", decider.replay(histories["out: completed"]!)],
    ["an empty case", decider.initialState()],
  ])("leaves %s as it is", (_what, state) => {
    expect(upgradeState(state, policy)).toBe(state);
  });
});

describe("toPriority: a stored priority", () => {
  it.each([
    [true, { reasonCode: "OTHER" }],
    [false, null],
    [null, null],
    [
      { reasonCode: "SERIOUS_ILLNESS", note: "住院" },
      { reasonCode: "SERIOUS_ILLNESS", note: "住院" },
    ],
    [{ reasonCode: "NOT_A_CODE" }, { reasonCode: "OTHER" }],
    [{}, { reasonCode: "OTHER" }],
  ])("%j reads as %j", (raw, expected) => {
    expect(toPriority(raw)).toEqual(expected);
  });
});

function prioritised() {
  return { ...letterReceived, data: { ...letterReceived.data, priority: { reasonCode: "OTHER" as const } } };
}
