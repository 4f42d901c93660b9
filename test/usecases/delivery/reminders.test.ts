import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerApplication, sendDeadlineReminders } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

/** An Asia/Shanghai wall-clock time as the injected clock's instant. */
const shanghai = (local: string) => new Date(`${local}+08:00`);
const quiet = { overdue: 0, dueSoon: 0 };

describe("deadline reminders", () => {
  let gw: TestGateway;
  let due: string;
  // A fresh gateway per test, its clock at registration time: each test moves the clock where it needs it.
  beforeEach(async () => {
    gw = await createTestGateway();
    due = await register("CASE-REMIND-1", "2026-03-02T10:00:00"); // Monday
  });
  afterEach(async () => gw.close());

  const register = async (caseId: string, at: string) => {
    gw.clock.set(shanghai(at));
    const view = await registerApplication(gw.deps, gw.principal("330000"), { caseId, transferOutAgency: "440000" });
    return view.openDeadlines[0]!.due;
  };
  const audit = async (kind: string, caseId = "CASE-REMIND-1") =>
    (await gw.deps.store.auditEvents({ kind, limit: 50 })).filter((e) => e.caseId === caseId);
  const passAt = (local: string, options?: { maxQueries: number }) => {
    gw.clock.set(shanghai(local));
    return sendDeadlineReminders(gw.deps, options);
  };
  /** A copy of CASE-REMIND-1's row under another id, as a gateway before reminder schedules wrote it (remind_at unset). */
  const storeUnscheduled = (caseId: string, state?: string) =>
    gw.sqlite
      .prepare(
        `INSERT INTO cases (agency_id, case_id, version, status, priority, state, created_at, updated_at)
         SELECT agency_id, ?, version, status, priority, COALESCE(?, state), created_at, updated_at FROM cases
         WHERE case_id = 'CASE-REMIND-1'`,
      )
      .run(caseId, state ?? null);

  describe("given a contact letter due in 15 working days", () => {
    it("is due on the Monday three weeks on (no holiday in March 2026)", () => {
      expect(due).toBe("2026-03-23");
    });

    it("stays quiet while the deadline is far: no pass reads the case before the look its registration scheduled", async () => {
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-09T09:59:59")).toEqual({ looked: 0, ...quiet });
    });

    it("emits one due-soon event within 3 working days of the deadline, never twice", async () => {
      expect(await passAt("2026-03-23T09:00:00")).toEqual({ looked: 1, overdue: 0, dueSoon: 1 });
      expect(await passAt("2026-03-23T09:01:00")).toEqual({ looked: 0, ...quiet });
      expect(await audit("deadline.due-soon")).toHaveLength(1);
    });

    it("emits one overdue event once the due date has passed", async () => {
      expect(await passAt("2026-03-25T09:00:00")).toEqual({ looked: 1, overdue: 1, dueSoon: 0 });
      expect(await passAt("2026-03-25T09:01:00")).toEqual({ looked: 0, ...quiet });
      expect((await audit("deadline.overdue"))[0]?.detail).toMatchObject({ step: "contact-letter", due });
    });
  });

  describe("given a pass that looked at the case with nothing to send", () => {
    beforeEach(async () => {
      expect(await passAt("2026-03-16T09:00:00")).toEqual({ looked: 1, ...quiet });
    });

    it("looks again exactly when the 3-working-day horizon reaches the due date: Wednesday 18 March, 00:00", async () => {
      expect(await passAt("2026-03-17T23:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-18T00:00:00")).toEqual({ looked: 1, overdue: 0, dueSoon: 1 });
    });

    it("then at the first minute the step is late, and only weekly once both are sent, sending nothing again", async () => {
      await passAt("2026-03-18T00:00:00");
      expect(await passAt("2026-03-23T23:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-24T00:00:00")).toEqual({ looked: 1, overdue: 1, dueSoon: 0 });
      expect(await passAt("2026-03-30T23:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-31T00:00:00")).toEqual({ looked: 1, ...quiet });
      expect(await audit("deadline.overdue")).toHaveLength(1);
    });
  });

  describe("given a case registered weeks before anything is due", () => {
    it("is looked at a week on, at the time of day of the last look (holiday data may change meanwhile)", async () => {
      expect(await passAt("2026-03-09T10:00:00")).toEqual({ looked: 1, ...quiet });
      expect(await passAt("2026-03-16T09:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-16T10:00:00")).toEqual({ looked: 1, ...quiet });
      expect(await passAt("2026-03-18T00:00:00")).toEqual({ looked: 1, overdue: 0, dueSoon: 1 });
    });
  });

  describe("given more reminders due than one pass's store queries allow", () => {
    it("sends the oldest looks' first and leaves the rest due for the next pass", async () => {
      await register("CASE-REMIND-2", "2026-03-03T10:00:00"); // due 24 March
      await register("CASE-REMIND-0", "2026-03-04T10:00:00"); // due 25 March: looked at last, whatever its id
      // 5 sweeps of unscheduled cases + a page, then a read and a commit per case with something to send.
      expect(await passAt("2026-03-24T09:00:00", { maxQueries: 12 })).toEqual({ looked: 2, overdue: 1, dueSoon: 1 });
      expect(await audit("deadline.due-soon", "CASE-REMIND-0")).toHaveLength(0);
      expect(await passAt("2026-03-24T09:01:00", { maxQueries: 12 })).toEqual({ looked: 1, overdue: 0, dueSoon: 1 });
      expect(await audit("deadline.due-soon", "CASE-REMIND-0")).toHaveLength(1);
    });
  });

  describe("given an open case stored without a scheduled look (before schedules, or by an earlier version)", () => {
    it("looks at it in the next pass and schedules it", async () => {
      storeUnscheduled("CASE-LEGACY");
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ looked: 1, ...quiet });
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-23T09:00:00")).toEqual({ looked: 2, overdue: 0, dueSoon: 2 });
    });
  });

  describe("given a case whose look fails", () => {
    it("reminds the others, and looks at it again an hour on rather than first in every pass", async () => {
      const state = gw.sqlite
        .prepare("SELECT state FROM cases WHERE case_id = 'CASE-REMIND-1'")
        .pluck()
        .get() as string;
      const broken = JSON.parse(state) as { deadline: { owedBy: string } };
      broken.deadline.owedBy = "not-a-region";
      storeUnscheduled("CASE-BROKEN", JSON.stringify(broken));
      expect(await passAt("2026-03-23T09:00:00")).toEqual({ looked: 2, overdue: 0, dueSoon: 1 });
      expect(await passAt("2026-03-23T09:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-23T10:00:00")).toEqual({ looked: 1, ...quiet });
    });
  });
});
