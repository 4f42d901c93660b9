import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CaseCommand, CaseState } from "../../../src/domain/transfer-case/index.ts";
import { describeCase, listCases, readInbox } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";

const ZJ = "330000";
const GD = "440000";
const person = { name: "陈志强", idNumber: "33010619760815123X" };
const voucher = { id: "GD-PZ-2025-0001", sha256: "c".repeat(64) };

describe("case views: priority, voucher, person and discrepancy facts (issue 11)", () => {
  let gw: TestGateway;
  beforeEach(async () => {
    gw = await createTestGateway();
  });
  afterEach(async () => gw.close());

  /** Decides the command on an empty case and stores the opened case, as the use cases would. */
  async function open(agencyId: string, command: Omit<CaseCommand, "metadata">, role: "transfer-in" | "transfer-out") {
    const now = gw.clock.now();
    const full = { ...command, metadata: { now, actor: { agencyId, role } } } as CaseCommand;
    const events = gw.deps.decider.decide(full, gw.deps.decider.initialState());
    const state: CaseState = gw.deps.decider.replay(events);
    await gw.deps.store.commit({
      caseWrite: { agencyId, caseId: command.caseId, expectedVersion: 0, state, events, at: now.toISOString() },
      newDocuments:
        role === "transfer-out"
          ? [
              {
                ownerAgency: agencyId,
                direction: "in",
                documentId: `CL-${command.caseId}`,
                type: "contact-letter",
                caseId: command.caseId,
                from: ZJ,
                to: agencyId,
                canonical: new TextEncoder().encode(`{"id":"CL-${command.caseId}"}`),
                seal: Uint8Array.from([0x30]),
                documentSha256: "a".repeat(64),
                sealSha256: "b".repeat(64),
                recordedAt: now.toISOString(),
                state: "received",
              },
            ]
          : [],
    });
  }

  it("a transfer-in case opened with a voucher and a priority: masked person, voucher, target beside the legal due", async () => {
    await open(
      ZJ,
      {
        type: "RegisterApplication",
        caseId: "C-1",
        data: { counterpartId: GD, priority: { reasonCode: "NEAR_RETIREMENT" }, person, voucher },
      },
      "transfer-in",
    );
    const view = await describeCase(gw.deps, gw.principal(ZJ), "C-1");
    expect(view).toMatchObject({
      priority: { reasonCode: "NEAR_RETIREMENT" },
      person: { name: "陈志强", idNumber: "330106********123X" },
      voucher,
      superseded: [],
      timeline: [{ type: "ApplicationRegistered", notes: ["OPENED_WITH_VOUCHER"] }],
    });
    expect(view.voucher).not.toHaveProperty("check");
    const [deadline] = view.openDeadlines;
    expect(deadline).toMatchObject({
      workingDays: 15,
      target: { workingDays: 5 },
      overdue: false,
      targetMissed: false,
    });
    expect(JSON.stringify(view)).not.toContain(person.idNumber);
  });

  it("a transfer-out case flags a voucher that was not issued here, and one opened without a voucher says so", async () => {
    const letter = (caseId: string, extra: object) => ({
      type: "ReceiveContactLetter" as const,
      caseId,
      data: { documentId: `CL-${caseId}`, counterpartId: ZJ, ...extra },
    });
    await open(GD, letter("C-2", { voucher: { ...voucher, check: "not-issued-here" } }), "transfer-out");
    await open(GD, letter("C-3", {}), "transfer-out");
    const flagged = await describeCase(gw.deps, gw.principal(GD), "C-2");
    expect(flagged).toMatchObject({
      priority: null,
      voucher: { ...voucher, check: "not-issued-here" },
      timeline: [{ type: "ContactLetterReceived", notes: ["OPENED_WITH_VOUCHER", "VOUCHER_NOT_ISSUED_HERE"] }],
    });
    const without = await describeCase(gw.deps, gw.principal(GD), "C-3");
    expect(without).toMatchObject({ voucher: null, timeline: [{ notes: ["OPENED_WITHOUT_VOUCHER"] }] });
  });

  it("lists priority cases first, filters on ?priority, and gives inbox entries the case's priority in arrival order", async () => {
    const letter = (caseId: string, priority?: object) => ({
      type: "ReceiveContactLetter" as const,
      caseId,
      data: { documentId: `CL-${caseId}`, counterpartId: ZJ, ...(priority ? { priority } : {}) },
    });
    await open(GD, letter("C-4"), "transfer-out");
    gw.clock.set(new Date(gw.clock.now().getTime() + 1000));
    await open(GD, letter("C-5", { reasonCode: "SERIOUS_ILLNESS" }), "transfer-out");
    gw.clock.set(new Date(gw.clock.now().getTime() + 1000));
    await open(GD, letter("C-6"), "transfer-out");

    const all = await listCases(gw.deps, gw.principal(GD), {});
    expect(all.cases.map((c) => [c.caseId, c.priority])).toEqual([
      ["C-5", { reasonCode: "SERIOUS_ILLNESS" }],
      ["C-6", null],
      ["C-4", null],
    ]);
    const green = await listCases(gw.deps, gw.principal(GD), { priority: true });
    expect(green.cases.map((c) => c.caseId)).toEqual(["C-5"]);

    const inbox = await readInbox(gw.deps, gw.principal(GD), undefined);
    expect(inbox.entries.map((e) => [e.caseId, e.priority])).toEqual([
      ["C-4", null],
      ["C-5", { reasonCode: "SERIOUS_ILLNESS" }],
      ["C-6", null],
    ]);
  });
});
