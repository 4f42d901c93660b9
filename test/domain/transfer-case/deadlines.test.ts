import { describe, expect, it } from "vitest";
import { createCalendar } from "../../../src/domain/calendar/index.ts";
import { CaseError, createCaseDecider, type EmergencyDeclared } from "../../../src/domain/transfer-case/index.ts";
import { deciderSpec } from "../../support/decider.ts";
import {
  asIn,
  command,
  decider,
  deadline,
  histories,
  IN,
  letterSent,
  on,
  OUT,
  registered,
  spec,
  window440,
} from "./fixtures.ts";

describe("isOverdue / openDeadlines", () => {
  const state = decider.replay([registered]);

  it("is not overdue until 24:00 of the due date (民法典 art 203)", () => {
    expect(decider.isOverdue(state, on("2025-03-24", "23:59"))).toBe(false);
    expect(decider.isOverdue(state, on("2025-03-25", "00:00"))).toBe(true);
  });

  it("reports the open step with its legal due date, and no target outside the green channel", () => {
    expect(decider.openDeadlines(state, on("2025-03-25"))).toEqual([
      { ...registered.data.deadline, overdue: true, targetMissed: false },
    ]);
  });

  it("does not report a make-up date a state stored before issue 11 still carries", () => {
    const stored = { ...registered.data.deadline, makeUpBy: "2025-06-16" } as typeof registered.data.deadline;
    const old = { ...state, deadline: stored } as typeof state;
    expect(decider.openDeadlines(old, on("2025-03-20"))[0]).not.toHaveProperty("makeUpBy");
  });

  it("reports nothing for empty and closed cases", () => {
    for (const closed of ["empty", "in: completed", "in: refused", "out: returned"]) {
      const s = decider.replay(histories[closed]!);
      expect(decider.openDeadlines(s, on("2030-01-01"))).toEqual([]);
      expect(decider.isOverdue(s, on("2030-01-01"))).toBe(false);
    }
  });

  it("tracks the counterpart's step in the transfer-in view", () => {
    const s = decider.replay([registered, letterSent]);
    expect(decider.openDeadlines(s, on("2025-03-27"))).toMatchObject([
      { step: "record-and-funds", owedBy: OUT, due: "2025-03-26", overdue: true },
    ]);
  });
});

describe("an emergency window in the middle of a step", () => {
  const hangzhou = { region: "330000", from: "2025-03-10", to: "2025-03-14", reason: "疫情防控" };
  // Mar 4–7 (4); 10–14 paused; 17–21 (9), 24–28 (14), 31 (15). No "window end + 3 months": that is for contributions.
  const deferred = deadline("contact-letter", IN, "2025-03-03", "2025-03-31", { emergencyDeferred: true });

  it("DeclareEmergency pauses the clock; the legal due date is the only date (no make-up date)", () => {
    const declared: EmergencyDeclared = {
      type: "EmergencyDeclared",
      caseId: registered.caseId,
      at: on("2025-03-11").toISOString(),
      data: { window: hangzhou, deadline: deferred },
    };
    const { state } = spec
      .given([registered])
      .when(command("DeclareEmergency", { window: hangzhou }, asIn, "2025-03-11"))
      .then([declared]);
    expect(state).toMatchObject({
      flags: { emergencyDeferred: true },
      emergencyWindows: [hangzhou],
      deadline: deferred,
    });
    expect(state).not.toHaveProperty("deadline.makeUpBy");
    expect(decider.isOverdue(state, on("2025-03-31", "23:59"))).toBe(false);
    expect(decider.isOverdue(state, on("2025-04-01", "00:00"))).toBe(true);
  });

  it("a declared window that does not pause step clocks leaves the clock and the flag alone", () => {
    const notPausing = { ...hangzhou, pausesStepClocks: false };
    const { state } = spec
      .given([registered])
      .when(command("DeclareEmergency", { window: notPausing }, asIn, "2025-03-11"))
      .then([
        {
          type: "EmergencyDeclared",
          caseId: registered.caseId,
          at: on("2025-03-11").toISOString(),
          data: { window: notPausing, deadline: registered.data.deadline },
        },
      ]);
    expect(state).toMatchObject({ flags: { emergencyDeferred: false }, emergencyWindows: [notPausing] });
  });

  it("a declared window with a pausesStepClocks that is not a boolean is CASE_COMMAND_INVALID", () => {
    const bad = { ...hangzhou, pausesStepClocks: "no" } as unknown as typeof hangzhou;
    spec
      .given([registered])
      .when(command("DeclareEmergency", { window: bad }, asIn, "2025-03-11"))
      .then("CASE_COMMAND_INVALID");
  });

  it("a window for another region leaves the step's clock alone", () => {
    const [event] = spec
      .given([registered])
      .when(command("DeclareEmergency", { window: window440 }, asIn, "2025-03-11"))
      .then([
        {
          type: "EmergencyDeclared",
          caseId: registered.caseId,
          at: on("2025-03-11").toISOString(),
          data: { window: window440, deadline: registered.data.deadline },
        },
      ]).events;
    expect(event?.type).toBe("EmergencyDeclared");
  });

  it("a window declared on the case also pauses the next step's clock for the region it covers", () => {
    const declared: EmergencyDeclared = {
      type: "EmergencyDeclared",
      caseId: registered.caseId,
      at: on("2025-03-04").toISOString(),
      data: { window: window440, deadline: registered.data.deadline },
    };
    // 广州 (440100) owes record and funds from 03-05: Mar 6–7 (2), 10–14 (7), 17–21 paused, 24–28 (12), 31–Apr 2 (15)
    const { state } = spec
      .given([registered, declared])
      .when(command("SendContactLetter", { documentId: "CL-1" }, asIn, "2025-03-05"))
      .then([
        {
          ...letterSent,
          data: {
            documentId: "CL-1",
            deadline: deadline("record-and-funds", OUT, "2025-03-05", "2025-04-02", { emergencyDeferred: true }),
          },
        },
      ]);
    expect(state).toMatchObject({ flags: { emergencyDeferred: true } });
  });

  it("a configured window is applied when the step opens", () => {
    const calendar = createCalendar({ emergencyWindows: [hangzhou] });
    const withWindow = deciderSpec(createCaseDecider({ calendar }));
    withWindow
      .given([])
      .when(command("RegisterApplication", { counterpartId: OUT }, asIn, "2025-03-03"))
      .then([{ ...registered, data: { ...registered.data, deadline: deferred } }]);
  });

  it("a configured window set not to pause step clocks is not applied to them", () => {
    const calendar = createCalendar({ emergencyWindows: [{ ...hangzhou, pausesStepClocks: false }] });
    deciderSpec(createCaseDecider({ calendar }))
      .given([])
      .when(command("RegisterApplication", { counterpartId: OUT }, asIn, "2025-03-03"))
      .then([registered]);
  });
});

describe("priority (green channel): the legal deadline stays, an internal target is added", () => {
  const priority = { reasonCode: "SERIOUS_ILLNESS" as const };
  // Legal: 15 WD from 03-03 → 03-24. Target: Mar 4–7 (4), 10 (5) → 03-10.
  const legalWithTarget = deadline("contact-letter", IN, "2025-03-03", "2025-03-24", {
    target: { workingDays: 5, due: "2025-03-10" },
  });

  it("a priority case's deadline keeps the 15 WD legal due and carries the 5 WD target", () => {
    const { state } = spec
      .given([])
      .when(command("RegisterApplication", { counterpartId: OUT, priority }, asIn, "2025-03-03"))
      .then([{ ...registered, data: { ...registered.data, priority, deadline: legalWithTarget } }]);
    expect(decider.openDeadlines(state, on("2025-03-11"))).toEqual([
      { ...legalWithTarget, overdue: false, targetMissed: true },
    ]);
    expect(decider.openDeadlines(state, on("2025-03-10", "23:59"))[0]).toMatchObject({ targetMissed: false });
    expect(decider.isOverdue(state, on("2025-03-24", "23:59"))).toBe(false);
  });

  it("the target is configurable and paused by the same windows as the legal clock", () => {
    const calendar = createCalendar({
      emergencyWindows: [{ region: "330000", from: "2025-03-05", to: "2025-03-06", reason: "应急" }],
    });
    const d = createCaseDecider({ calendar, priorityTargetWorkingDays: 3 });
    const [event] = d.decide(
      command("RegisterApplication", { counterpartId: OUT, priority }, asIn, "2025-03-03"),
      d.initialState(),
    );
    // Legal: Mar 4 (1), 5–6 paused, 7 (2), 10–14 (7), 17–21 (12), 24–26 (15). Target: 4 (1), 7 (2), 10 (3).
    expect(event).toMatchObject({
      data: { deadline: { due: "2025-03-26", emergencyDeferred: true, target: { workingDays: 3, due: "2025-03-10" } } },
    });
  });
});

describe("calendar coverage", () => {
  it("a step running into 2027 is flagged extrapolated", () => {
    const [event] = decider.decide(
      command("RegisterApplication", { counterpartId: OUT }, asIn, "2026-12-20"),
      decider.initialState(),
    );
    expect(event).toMatchObject({ data: { deadline: { due: "2027-01-08", calendarCoverage: "extrapolated" } } });
  });
});

describe("createCaseDecider", () => {
  it("defaults to 15 working days per step (66号 art 8)", () => {
    const d = createCaseDecider({ calendar: createCalendar() });
    const [event] = d.decide(
      command("RegisterApplication", { counterpartId: OUT }, asIn, "2025-03-03"),
      d.initialState(),
    );
    expect(event).toEqual(registered);
  });

  it.each([[{ stepWorkingDays: 0 }], [{ priorityTargetWorkingDays: 20 }], [{ stepWorkingDays: 15.5 }]])(
    "rejects the policy %o with CASE_POLICY_INVALID",
    (policy) => {
      expect(() => createCaseDecider({ calendar: createCalendar(), ...policy })).toThrow(
        expect.objectContaining({ code: "CASE_POLICY_INVALID" }),
      );
      expect(() => createCaseDecider({ calendar: createCalendar(), ...policy })).toThrow(CaseError);
    },
  );
});
