import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerApplication, sendDeadlineReminders } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

describe("deadline reminders", () => {
  let gw: TestGateway;
  let due: string;
  // A fresh gateway per test, its clock at registration time: each test moves the clock where it needs it.
  beforeEach(async () => {
    gw = await createTestGateway();
    gw.clock.set("2026-03-02T02:00:00Z"); // Monday 10:00 in Shanghai
    const view = await registerApplication(gw.deps, gw.principal("330000"), {
      caseId: "CASE-REMIND-1",
      transferOutAgency: "440000",
    });
    due = view.openDeadlines[0]!.due;
  });
  afterEach(async () => gw.close());

  const audit = async (kind: string) =>
    (await gw.deps.store.auditEvents({ kind, limit: 50 })).filter((e) => e.caseId === "CASE-REMIND-1");

  describe("given a contact letter due in 15 working days", () => {
    it("stays quiet while the deadline is far", async () => {
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ overdue: 0, dueSoon: 0 });
    });

    it("emits one due-soon event within 3 working days of the deadline, never twice", async () => {
      gw.clock.set(`${due}T01:00:00Z`);
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ overdue: 0, dueSoon: 1 });
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ overdue: 0, dueSoon: 0 });
      expect(await audit("deadline.due-soon")).toHaveLength(1);
    });

    it("emits one overdue event once the due date has passed", async () => {
      gw.clock.set(new Date(Date.parse(`${due}T00:00:00+08:00`) + 2 * 86_400_000));
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ overdue: 1, dueSoon: 0 });
      expect(await sendDeadlineReminders(gw.deps)).toEqual({ overdue: 0, dueSoon: 0 });
      expect((await audit("deadline.overdue"))[0]?.detail).toMatchObject({ step: "contact-letter", due });
    });
  });
});
