import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, example, type LogLine, type TestApp } from "./app-harness.ts";

const CASE = "CASE-330000-2026-000716";

/**
 * Issue 15 item 7: every 4xx/5xx access line carries its error code, and the steps of a transfer leave one
 * structured line each — submission, receipt, delivery attempt, state change, acknowledgement — naming the
 * case and document, never a person.
 */
describe("the structured log of requests and of a transfer's steps", () => {
  let t: TestApp;
  const access = (path: string) => t.logs.filter((l) => l.event === "http.request" && l.fields.path === path).at(-1);
  const events = (event: string) => t.logs.filter((l) => l.event === event).map((l) => l.fields);

  beforeAll(async () => {
    t = await createTestApp();
  });

  it("puts the error code on the access line of a refused API request, a refused exchange and an error page", async () => {
    const token = t.gw.tokens["330000"]!;
    expect((await t.call("GET", "/v1/cases?state=bogus", { token })).status).toBe(400);
    expect(access("/v1/cases")?.fields).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    expect((await t.call("GET", "/v1/cases", {})).status).toBe(401);
    expect(access("/v1/cases")?.fields).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect((await t.call("POST", "/v1/exchange", { raw: "{not json" })).status).toBe(400);
    expect(access("/v1/exchange")?.fields).toMatchObject({ status: 400, code: "JSON_INVALID" });
    const missing = `/v/${"ab".repeat(32)}`; // no digit run a mask would rewrite in the logged path
    expect((await t.call("GET", missing)).status).toBe(404);
    expect(access(missing)?.fields).toMatchObject({ status: 404, code: "DOCUMENT_NOT_FOUND" });
    expect((await t.call("GET", "/v/not-a-digest")).status).toBe(400);
    expect(access("/v/not-a-digest")?.fields).toMatchObject({ status: 400, code: "REQUEST_INVALID" });
    // A success carries none.
    expect((await t.call("GET", "/healthz")).status).toBe(200);
    expect(access("/healthz")?.fields.code).toBeUndefined();
  });

  it("logs the submission, the delivery attempt, the receipt, each state change and the acknowledgement", async () => {
    const zj = t.gw.tokens["330000"]!;
    const gd = t.gw.tokens["440000"]!;
    const registered = await t.call("POST", "/v1/cases", {
      token: zj,
      body: { caseId: CASE, transferOutAgency: "440000" },
    });
    expect(registered.status).toBe(201);
    const letter = example("contact-letter");
    const sent = await t.call("POST", `/v1/cases/${CASE}/documents`, {
      token: zj,
      body: { type: "contact-letter", id: "ZJ-LXH-LOG-1", body: letter.body },
    });
    expect(sent.status).toBe(201);
    await t.gw.dispatcher.runOnce();
    const acked = await t.call("POST", `/v1/inbox/ZJ-LXH-LOG-1/ack?from=330000`, { token: gd, body: {} });
    expect(acked.status).toBe(201);

    const step = { caseId: CASE, documentId: "ZJ-LXH-LOG-1", type: "contact-letter", from: "330000", to: "440000" };
    expect(events("document.submitted")).toContainEqual(step);
    expect(events("delivery.attempt")).toContainEqual(
      expect.objectContaining({ documentId: "ZJ-LXH-LOG-1", target: "440000", attempt: 1, outcome: "delivered" }),
    );
    expect(events("document.received")).toContainEqual(expect.objectContaining({ ...step, outcome: "accepted" }));
    expect(events("case.changed")).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agencyId: "330000", caseId: CASE, from: "empty", to: "application-registered" }),
        expect.objectContaining({ agencyId: "330000", from: "application-registered", to: "contact-letter-sent" }),
        expect.objectContaining({ agencyId: "440000", from: "empty", to: "contact-letter-received" }),
      ]),
    );
    expect(events("document.acknowledged")).toContainEqual(
      expect.objectContaining({ caseId: CASE, documentId: "ZJ-LXH-LOG-1", from: "330000", outcome: "accepted" }),
    );
    // The person's name and full ID number, in the contact letter, never reach a line.
    const logged = JSON.stringify(t.logs.map((l: LogLine) => l.fields));
    expect(logged).not.toContain(letter.body.person.idNumber);
    expect(logged).not.toContain(letter.body.person.name);
  });
});
