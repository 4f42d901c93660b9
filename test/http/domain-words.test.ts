import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, example, type TestApp } from "./app-harness.ts";

const CASE = "CASE-330000-2026-000615";
/** A decider command type (SendCompletion, ReceiveInsuranceRecord, …): never shown to people. */
const COMMAND_NAME = /\b(Send|Receive)[A-Z]\w+|\bRegisterApplication\b|\bDeclareEmergency\b/;

/**
 * Issue 15 item 6: refusals and statuses in the words of the transfer — the document and the agency's role
 * named as a clerk would, query parameters checked, and the case view saying which documents moved while the
 * status names the phase.
 */
describe("errors and statuses in domain words", () => {
  let t: TestApp;
  let zj: string;
  let gd: string;
  const submit = (token: string, type: string, id?: string) =>
    t.call("POST", `/v1/cases/${CASE}/documents`, {
      token,
      body: { type, body: example(type).body, ...(id ? { id } : {}) },
    });
  const progressOf = async (token: string) => {
    const res = await t.call("GET", `/v1/cases/${CASE}`, { token });
    return (await res.json()) as { status: string; progress: Record<string, string> };
  };

  beforeAll(async () => {
    t = await createTestApp();
    zj = t.gw.tokens["330000"]!;
    gd = t.gw.tokens["440000"]!;
    const registered = await t.call("POST", "/v1/cases", {
      token: zj,
      body: { caseId: CASE, transferOutAgency: "440000" },
    });
    expect(registered.status).toBe(201);
  });

  it("refuses an unknown status filter with 400 REQUEST_INVALID naming the parameter, and accepts a real one", async () => {
    const bogus = await t.call("GET", "/v1/cases?state=bogus", { token: zj });
    expect(bogus.status).toBe(400);
    const body = await bogus.json();
    expect(body.code).toBe("REQUEST_INVALID");
    expect(body.problems[0].path).toBe("/state");
    expect(body.problems[0].message).toContain("contact-letter-sent");
    const real = await t.call("GET", "/v1/cases?state=application-registered", { token: zj });
    expect(real.status).toBe(200);
    expect((await real.json()).cases.map((c: { caseId: string }) => c.caseId)).toEqual([CASE]);
  });

  it("names the document and the case's phase when a completion comes too early (409 ILLEGAL_TRANSITION)", async () => {
    const res = await submit(zj, "completion");
    expect(res.status).toBe(409);
    const { code, message } = await res.json();
    expect(code).toBe("ILLEGAL_TRANSITION");
    expect(message).toContain("completion (办结)");
    expect(message).toContain("contact letter is not sent yet");
    expect(message).not.toMatch(COMMAND_NAME);
  });

  it("answers a transfer-in agency sending the insurance record with 403 WRONG_PARTY before checking its rows", async () => {
    const res = await submit(zj, "insurance-record");
    expect(res.status).toBe(403);
    const { code, message } = await res.json();
    expect(code).toBe("WRONG_PARTY");
    expect(message).toContain("330000 is the transfer-in agency (转入地)");
    expect(message).not.toMatch(COMMAND_NAME);
  });

  it("keeps the status at the phase and says in `progress` which documents moved, on both sides", async () => {
    expect(await progressOf(zj)).toMatchObject({
      status: "application-registered",
      progress: { "contact-letter": "awaited", "insurance-record": "awaited", completion: "awaited" },
    });
    expect((await submit(zj, "contact-letter", "ZJ-LXH-WORDS-1")).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    expect((await submit(gd, "insurance-record", "GD-XXB-WORDS-1")).status).toBe(201);
    await t.gw.dispatcher.runOnce();
    // 浙江 holds the record but not the funds: still contact-letter-sent, and progress tells which one came.
    expect(await progressOf(zj)).toMatchObject({
      status: "contact-letter-sent",
      progress: { "contact-letter": "sent", "insurance-record": "received", "fund-transfer": "awaited" },
    });
    expect(await progressOf(gd)).toMatchObject({
      status: "contact-letter-received",
      progress: { "contact-letter": "received", "insurance-record": "sent", "fund-transfer": "awaited" },
    });
  });
});
