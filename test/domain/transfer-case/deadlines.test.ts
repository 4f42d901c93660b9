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

  it("reports the open step with its effective due date", () => {
    expect(decider.openDeadlines(state, on("2025-03-25"))).toEqual([
      { ...registered.data.deadline, effectiveDue: "2025-03-24", overdue: true },
    ]);
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
  // Mar 4–7 (4); 10–14 paused; 17–21 (9), 24–28 (14), 31 (15). Make-up: 06-14 is a Saturday → 06-16.
  const deferred = deadline("contact-letter", IN, "2025-03-03", "2025-03-31", {
    emergencyDeferred: true,
    makeUpBy: "2025-06-16",
  });

  it("DeclareEmergency pauses the clock and sets the make-up deadline", () => {
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
    expect(decider.isOverdue(state, on("2025-04-15"))).toBe(false);
    expect(decider.isOverdue(state, on("2025-06-17"))).toBe(true);
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
            deadline: deadline("record-and-funds", OUT, "2025-03-05", "2025-04-02", {
              emergencyDeferred: true,
              makeUpBy: "2025-06-23",
            }),
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

  it.each([[{ stepWorkingDays: 0 }], [{ priorityWorkingDays: 20 }], [{ stepWorkingDays: 15.5 }]])(
    "rejects the policy %o with CASE_POLICY_INVALID",
    (policy) => {
      expect(() => createCaseDecider({ calendar: createCalendar(), ...policy })).toThrow(
        expect.objectContaining({ code: "CASE_POLICY_INVALID" }),
      );
      expect(() => createCaseDecider({ calendar: createCalendar(), ...policy })).toThrow(CaseError);
    },
  );
});
