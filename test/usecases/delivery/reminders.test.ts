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
    gw.clock.set(shanghai("2026-03-02T10:00:00")); // Monday
    due = await register("CASE-REMIND-1");
  });
  afterEach(async () => gw.close());

  const register = async (caseId: string) => {
    const view = await registerApplication(gw.deps, gw.principal("330000"), { caseId, transferOutAgency: "440000" });
    return view.openDeadlines[0]!.due;
  };
  const audit = async (kind: string) =>
    (await gw.deps.store.auditEvents({ kind, limit: 50 })).filter((e) => e.caseId === "CASE-REMIND-1");
  const passAt = (local: string, options?: { maxCases: number }) => {
    gw.clock.set(shanghai(local));
    return sendDeadlineReminders(gw.deps, options);
  };

  describe("given a contact letter due in 15 working days", () => {
    it("is due on the Monday three weeks on (no holiday in March 2026)", () => {
      expect(due).toBe("2026-03-23");
    });

    it("stays quiet while the deadline is far: no pass reads the case before the look its registration scheduled", async () => {
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-08T23:59:59")).toEqual({ looked: 0, ...quiet });
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

    it("then at the first minute the step is late, and never again once both are sent", async () => {
      await passAt("2026-03-18T00:00:00");
      expect(await passAt("2026-03-23T23:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-24T00:00:00")).toEqual({ looked: 1, overdue: 1, dueSoon: 0 });
      expect(await passAt("2026-06-01T00:00:00")).toEqual({ looked: 0, ...quiet });
    });
  });

  describe("given a case registered weeks before anything is due", () => {
    it("is looked at within a week (holiday data may change meanwhile), then as scheduled", async () => {
      expect(await passAt("2026-03-09T00:00:00")).toEqual({ looked: 1, ...quiet });
      expect(await passAt("2026-03-09T00:01:00")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-15T23:59:59")).toEqual({ looked: 0, ...quiet });
      expect(await passAt("2026-03-16T00:00:00")).toEqual({ looked: 1, ...quiet });
      expect(await passAt("2026-03-18T00:00:00")).toEqual({ looked: 1, overdue: 0, dueSoon: 1 });
    });
  });

  describe("given more cases due a look than one pass takes", () => {
    it("looks at the oldest first and leaves the rest due for the next pass", async () => {
      await register("CASE-REMIND-2");
      await register("CASE-REMIND-3");
      expect(await passAt("2026-03-23T09:00:00", { maxCases: 2 })).toEqual({ looked: 2, overdue: 0, dueSoon: 2 });
      expect(await passAt("2026-03-23T09:01:00", { maxCases: 2 })).toEqual({ looked: 1, overdue: 0, dueSoon: 1 });
      expect(await passAt("2026-03-23T09:02:00", { maxCases: 2 })).toEqual({ looked: 0, ...quiet });
    });
  });
});
