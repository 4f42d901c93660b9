import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CaseEvent, CaseState } from "../../../src/domain/transfer-case/index.ts";
import { handleCaseCommand } from "../../../src/usecases/cases/handle-command.ts";
import { loadCase } from "../../../src/usecases/cases/state.ts";
import { describeCase, listCases, sendDeadlineReminders } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const ZJ = "330000";
const GD = "440000";
const CASE = "case-before-11";

/**
 * An open transfer-out priority case stored before issue 11 (issue 11 review item 3): the contact letter
 * received on 2025-03-06 started a 5-WD record-and-funds clock (07, 10–13 → 03-13) with no target;
 * drizzle/0003 gave the flag its reason shape and left the deadline alone.
 */
const oldDeadline = {
  step: "record-and-funds",
  owedBy: GD,
  startedOn: "2025-03-06",
  workingDays: 5,
  due: "2025-03-13",
  calendarCoverage: "official",
  emergencyDeferred: false,
};
const stored = {
  status: "contact-letter-received",
  caseId: CASE,
  view: "transfer-out",
  agencyId: GD,
  counterpartId: ZJ,
  flags: { priority: { reasonCode: "OTHER" }, temporaryAccount: false, emergencyDeferred: false },
  emergencyWindows: [],
  documents: { "contact-letter": "CL-old" },
  openedAt: "2025-03-06T02:00:00.000Z",
  deadline: oldDeadline,
} as unknown as CaseState;
const opened = {
  type: "ContactLetterReceived",
  caseId: CASE,
  at: "2025-03-06T02:00:00.000Z",
  data: {
    view: "transfer-out",
    agencyId: GD,
    counterpartId: ZJ,
    priority: true,
    temporaryAccount: false,
    documentId: "CL-old",
    deadline: oldDeadline,
  },
} as unknown as CaseEvent;

// The statutory 15 WD from the same start: 07 (1), 10–14 (6), 17–21 (11), 24–27 (15); the 5-WD target is 03-13.
const upgraded = { workingDays: 15, due: "2025-03-27", target: { workingDays: 5, due: "2025-03-13" } };

describe("a priority case stored before issue 11", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
    const caseWrite = { agencyId: GD, caseId: CASE, expectedVersion: 0, state: stored, events: [opened] };
    await gw.deps.store.commit({ caseWrite: { ...caseWrite, at: opened.at } });
  });
  afterEach(async () => gw.close());

  it("loadCase hands the next command the statutory deadline with the target", async () => {
    const loaded = await loadCase(gw.deps, GD, CASE);
    expect(loaded).toMatchObject({ version: 1, state: { status: "contact-letter-received", deadline: upgraded } });
  });

  it("the next command decides on the upgraded state and stores it", async () => {
    await handleCaseCommand(gw.deps, { agencyId: GD, caseId: CASE }, (loaded) => ({
      command: {
        type: "SendInsuranceRecord",
        caseId: CASE,
        data: { documentId: "IR-old" },
        metadata: { now: gw.clock.now(), actor: { agencyId: GD, role: "transfer-out" } },
      },
      batch: () => ({ change: {}, result: loaded.version }),
    }));
    const record = await gw.deps.store.getCase(GD, CASE);
    expect(record).toMatchObject({
      version: 2,
      state: { documents: { "insurance-record": "IR-old" }, deadline: upgraded },
    });
  });

  it("the case views and the reminders read the upgraded deadline", async () => {
    const view = await describeCase(gw.deps, gw.principal(GD), CASE);
    expect(view.openDeadlines).toMatchObject([{ step: "record-and-funds", ...upgraded, overdue: true }]);
    const { cases } = await listCases(gw.deps, gw.principal(GD), {});
    expect(cases.find((c) => c.caseId === CASE)?.openDeadlines).toMatchObject([upgraded]);
    await sendDeadlineReminders(gw.deps);
    expect(await gw.deps.store.sentReminders(GD, CASE)).toMatchObject([{ kind: "overdue", due: "2025-03-27" }]);
  });
});
