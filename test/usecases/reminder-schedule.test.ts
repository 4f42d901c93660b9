import { describe, expect, it } from "vitest";
import { createCalendar } from "../../src/domain/calendar/index.ts";
import type { CaseState } from "../../src/domain/transfer-case/index.ts";
import {
  dueSoonOn,
  lookAfterWrite,
  nextReminderAt,
  RECHECK_DAYS,
  shanghaiMidnight,
  type StepDue,
} from "../../src/usecases/reminder-schedule.ts";

const isDueSoon = dueSoonOn(createCalendar());
const shanghai = (local: string) => new Date(`${local}+08:00`);
const at = (local: string) => shanghai(local).toISOString();
const step = (due: string, name = "contact-letter"): StepDue => ({
  step: name as StepDue["step"],
  owedBy: "440000",
  due,
});
const sent = (kind: "overdue" | "due-soon", due: string, name = "contact-letter") => ({ step: name, kind, due });
const open = (deadline: StepDue) => ({ status: "contact-letter-sent", deadline }) as unknown as CaseState;

describe("the next reminder look at an open case", () => {
  it("is 00:00 in Shanghai, 16:00 UTC the day before", () => {
    expect(shanghaiMidnight("2026-09-29")).toBe("2026-09-28T16:00:00.000Z");
  });

  describe("given a step due on Friday 9 October 2026, after the Mid-Autumn and National Day holidays", () => {
    it("looks on Tuesday 29 September, the first day whose 3 working days reach it (the holidays bring it a week forward)", () => {
      expect(nextReminderAt([step("2026-10-09")], [], shanghai("2026-09-24T12:00:00"), isDueSoon)).toBe(
        shanghaiMidnight("2026-09-29"),
      );
    });

    it(`once the due-soon reminder is sent, looks ${RECHECK_DAYS} days on at the time of the look, then on the first day it is late`, () => {
      const already = [sent("due-soon", "2026-10-09")];
      const due = [step("2026-10-09")];
      expect(nextReminderAt(due, already, shanghai("2026-09-29T09:00:00"), isDueSoon)).toBe(at("2026-10-06T09:00:00"));
      expect(nextReminderAt(due, already, shanghai("2026-10-06T09:00:00"), isDueSoon)).toBe(
        shanghaiMidnight("2026-10-10"),
      );
    });

    it("only weekly once the overdue one is sent too (a step an earlier version moved on is found within the week)", () => {
      const both = [sent("due-soon", "2026-10-09"), sent("overdue", "2026-10-09")];
      expect(nextReminderAt([step("2026-10-09")], both, shanghai("2026-10-10T00:00:00"), isDueSoon)).toBe(
        at("2026-10-17T00:00:00"),
      );
    });

    it("counts reminders of an earlier due date or another step as not sent", () => {
      const others = [sent("overdue", "2026-10-02"), sent("due-soon", "2026-10-09", "transfer-decision")];
      expect(nextReminderAt([step("2026-10-09")], others, shanghai("2026-09-24T12:00:00"), isDueSoon)).toBe(
        shanghaiMidnight("2026-09-29"),
      );
    });
  });

  describe("given a step due on Monday 12 October, two weeks away", () => {
    it(`looks again ${RECHECK_DAYS} days on at the latest (holiday data may be updated meanwhile), then on the due-soon day`, () => {
      const due = [step("2026-10-12")];
      expect(nextReminderAt(due, [], shanghai("2026-09-30T10:00:00"), isDueSoon)).toBe(at("2026-10-07T10:00:00"));
      expect(nextReminderAt(due, [], shanghai("2026-10-07T10:00:00"), isDueSoon)).toBe(shanghaiMidnight("2026-10-08"));
    });
  });
});

describe("the look a case write schedules", () => {
  const now = shanghai("2026-09-29T09:00:00");

  it("is none for a case that is not open", () => {
    expect(lookAfterWrite(open(step("2026-10-09")), { status: "completed" } as CaseState, now, isDueSoon)).toBeNull();
  });

  it("leaves the stored look when the open step's deadline is the one the case had", () => {
    expect(lookAfterWrite(open(step("2026-10-09")), open(step("2026-10-09")), now, isDueSoon)).toBeUndefined();
  });

  it("is at once for a new deadline a reminder is due on already (due soon, or late)", () => {
    expect(lookAfterWrite({ status: "empty" } as CaseState, open(step("2026-10-09")), now, isDueSoon)).toBe(
      now.toISOString(),
    );
    expect(lookAfterWrite(open(step("2026-10-30")), open(step("2026-09-28")), now, isDueSoon)).toBe(now.toISOString());
  });

  it("is the first moment one falls due otherwise (a moved due date, another step)", () => {
    const later = shanghai("2026-09-24T12:00:00");
    expect(lookAfterWrite(open(step("2026-09-30")), open(step("2026-10-09")), later, isDueSoon)).toBe(
      shanghaiMidnight("2026-09-29"),
    );
    const next = open(step("2026-10-09", "transfer-decision"));
    expect(lookAfterWrite(open(step("2026-10-09")), next, later, isDueSoon)).toBe(shanghaiMidnight("2026-09-29"));
  });
});
