import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { trackCase, type TrackedCase } from "../../../src/usecases/index.ts";
import { mergeSteps } from "../../../src/usecases/cases/track-steps.ts";
import type { StoredCaseEvent } from "../../../src/usecases/index.ts";
import { createTestApp, type TestApp } from "../../http/app-harness.ts";
import { GD, PERSON, walker, ZJ } from "../../http/pages/walk.ts";

/** The tracking use case (issue 13 item 1) over a real gateway; cases are walked through the API. */
describe("trackCase", () => {
  let t: TestApp;
  let client = 0;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());

  // A client of its own per lookup: these tests are about the answers, not the limit.
  const track = (reference: string, idNumber = PERSON.idNumber) =>
    trackCase(t.gw.deps, { reference, idNumber, client: `c${++client}` });
  const tracked = async (reference: string): Promise<TrackedCase> => {
    const answer = await track(reference);
    if (!answer.found) throw new Error(`${reference} not found`);
    return answer.tracked;
  };
  const kinds = (c: TrackedCase) => c.steps.map((s) => s.kind);

  it("answers the same neutral miss for a wrong ID number, a missing case and a case without a person", async () => {
    const w = walker(t, 1);
    await w.register();
    expect(await track(w.caseId, "11010519491231002X")).toEqual({ found: false });
    expect(await track("CASE-NONE")).toEqual({ found: false });
    await t.call("POST", "/v1/cases", {
      token: t.gw.tokens[ZJ]!,
      body: { caseId: "CASE-330000-2026-000077", transferOutAgency: GD },
    });
    expect(await track("CASE-330000-2026-000077")).toEqual({ found: false });
  });

  it("walks every state a transfer reaches, with holder, deadline, steps and what is still ahead", async () => {
    const w = walker(t, 2);
    await w.register({ priority: "NEAR_RETIREMENT" });
    let c = await tracked(w.caseId);
    expect(c).toMatchObject({
      status: "application-registered",
      holder: { id: ZJ, name: "浙江省社会保险和就业服务中心" },
      deadline: { step: "contact-letter", workingDays: 15, overdue: false },
      priority: "NEAR_RETIREMENT",
      person: { name: "陈*强", idNumber: "330106********123X" },
      pending: ["letter", "record", "funds", "completed"],
      current: ["letter"],
      voucher: null,
    });
    expect(kinds(c)).toEqual(["accepted"]);

    await w.letter();
    c = await tracked(w.caseId);
    expect(c).toMatchObject({ status: "contact-letter-received", holder: { id: GD }, current: ["record", "funds"] });
    expect(c.transferIn.phone).toBe("0571-85000000");
    expect(kinds(c)).toEqual(["accepted", "letter-sent"]);

    await w.record();
    await w.funds();
    c = await tracked(w.caseId);
    expect(c).toMatchObject({ status: "awaiting-completion", holder: { id: ZJ }, current: ["completed"] });
    expect(kinds(c)).toEqual(["accepted", "letter-sent", "record-received", "funds-received"]);

    await w.discrepancy();
    c = await tracked(w.caseId);
    expect(c).toMatchObject({
      status: "discrepancy-raised",
      holder: { id: GD },
      discrepancy: {
        reasonCode: expect.any(String),
        explanation: "到账统筹基金与信息表⑤所列金额不一致，请核实后更正信息表或补足划转。",
      },
      deadline: { step: "correction" },
      current: ["correction"],
    });
    expect(c.pending[0]).toBe("correction");
    expect(kinds(c).at(-1)).toBe("discrepancy");

    await w.correction();
    c = await tracked(w.caseId);
    expect(c.status).toBe("awaiting-completion");
    expect(c.steps.some((s) => s.kind === "record-received" && s.correction)).toBe(true);
    expect(kinds(c)).toContain("corrected");

    await w.completion();
    c = await tracked(w.caseId);
    expect(c).toMatchObject({ status: "completed", pending: [], current: [] });
    expect(c.holder).toBeUndefined();
    expect(c.deadline).toBeUndefined();
    expect(kinds(c).at(-1)).toBe("completed");
  });

  it("shows a return with its reason and the agency's explanation, name and ID number masked", async () => {
    const w = walker(t, 3);
    await w.register();
    await w.letter();
    await w.returned(`陈志强（${PERSON.idNumber}）在原参保地存在欠缴，请补缴后重新申请。`);
    const c = await tracked(w.caseId);
    expect(c).toMatchObject({ status: "returned", reason: { reasonCode: "ARREARS" }, pending: [] });
    expect(c.reason?.explanation).toBe("陈*强（330106********123X）在原参保地存在欠缴，请补缴后重新申请。");
    expect(kinds(c)).toEqual(["accepted", "letter-sent", "returned"]);
  });

  it("masks another spelling of the name, a spaced name and the given name alone (review 13a #9)", async () => {
    const w = walker(t, 5);
    await w.register();
    await w.letter();
    await w.returned("档案姓名为陈志钢，与申请的陈 志 强不一致；志强本人请核对（证件 330106197608151234）。");
    const c = await tracked(w.caseId);
    expect(c.reason?.explanation).toBe(
      "档案姓名为陈*钢，与申请的陈*强不一致；**本人请核对（证件 330106********1234）。",
    );
  });

  it("finds a case by its voucher id and flags an overdue step", async () => {
    const w = walker(t, 4);
    const voucherId = await w.register({ voucher: true });
    t.gw.clock.advance(40 * 24 * 3600_000);
    const c = await tracked(voucherId!);
    expect(c).toMatchObject({ caseId: w.caseId, voucher: { id: voucherId }, deadline: { overdue: true } });
  });

  it("refuses past the burst with RATE_LIMITED and a wait, per client", async () => {
    // A new ID number each time, so only the client's bucket runs out (the ID number's has its own test).
    let n = 0;
    const ask = () => trackCase(t.gw.deps, { reference: "X", idNumber: `ID-${++n}`, client: "one" });
    for (let i = 0; i < 10; i++) await ask();
    await expect(ask()).rejects.toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 30 });
    await expect(trackCase(t.gw.deps, { reference: "X", idNumber: "ID-X", client: "two" })).resolves.toEqual({
      found: false,
    });
  });
});

describe("mergeSteps", () => {
  const ev = (version: number, event: Record<string, unknown>): StoredCaseEvent =>
    ({ version, at: event.at, event }) as unknown as StoredCaseEvent;
  const at = (d: number) => `2026-01-0${d}T00:00:00.000Z`;

  it("collapses the two sides' twins (the received one wins) and maps closings", () => {
    const inSide = [
      ev(1, { type: "ApplicationRegistered", caseId: "C", at: at(1), data: {} }),
      ev(2, { type: "ContactLetterSent", caseId: "C", at: at(2), data: { documentId: "L" } }),
      ev(3, { type: "InsuranceRecordReceived", caseId: "C", at: at(4), data: { documentId: "R" } }),
      ev(4, { type: "ApplicationRefused", caseId: "C", at: at(6), data: { reasonCode: "NOT_ELIGIBLE" } }),
    ];
    const outSide = [
      ev(1, { type: "ContactLetterReceived", caseId: "C", at: at(2), data: { documentId: "L" } }),
      ev(2, { type: "InsuranceRecordSent", caseId: "C", at: at(3), data: { documentId: "R" } }),
      ev(3, { type: "EmergencyDeclared", caseId: "C", at: at(5), data: {} }),
      ev(4, { type: "CaseCancelled", caseId: "C", at: at(7), data: { reason: "x" } }),
    ];
    expect(mergeSteps([inSide, outSide]).map((s) => s.kind)).toEqual([
      "accepted",
      "letter-sent",
      "record-received",
      "deadline-extended",
      "refused",
      "cancelled",
    ]);
  });
});
