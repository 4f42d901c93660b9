import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, example, type TestApp } from "./app-harness.ts";

const CASE = "CASE-330000-2024-000815";
const ZJ = "330000";
const GD = "440000";

describe("cases and inbox routes", () => {
  // A fresh gateway per test (in-memory SQLite, shared dev PKI): each test registers what it reads.
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());
  const token = (agency: string) => t.gw.tokens[agency]!;
  const register = () =>
    t.call("POST", "/v1/cases", { token: token(ZJ), body: { caseId: CASE, transferOutAgency: GD } });

  describe("when no token is sent", () => {
    it("answers 401 UNAUTHENTICATED with a request id", async () => {
      const res = await t.call("GET", "/v1/cases");
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: "UNAUTHENTICATED", requestId: res.headers.get("x-request-id") });
    });

    it("answers 401 for a token the gateway does not know", async () => {
      expect((await t.call("GET", "/v1/cases", { token: "jx_not-a-real-token" })).status).toBe(401);
    });
  });

  describe("POST /v1/cases", () => {
    it("registers an application with its first deadline (201)", async () => {
      const res = await register();
      expect(res.status).toBe(201);
      const view = await res.json();
      expect(view).toMatchObject({ caseId: CASE, agencyId: ZJ, status: "application-registered", overdue: false });
      expect(view.openDeadlines[0].step).toBe("contact-letter");
    });

    it("answers 409 CASE_ALREADY_OPENED on a second registration", async () => {
      expect((await register()).status).toBe(201);
      const res = await register();
      expect(res.status).toBe(409);
      expect((await res.json()).code).toBe("CASE_ALREADY_OPENED");
    });

    it("answers 400 JSON_INVALID for a body that is not JSON", async () => {
      const res = await t.call("POST", "/v1/cases", { token: token(ZJ), raw: "transferOutAgency=440000" });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe("JSON_INVALID");
    });

    it("answers 400 REQUEST_INVALID with JSON pointers for a malformed body", async () => {
      const res = await t.call("POST", "/v1/cases", {
        token: token(ZJ),
        body: { transferOutAgency: "44", priority: "yes" },
      });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.code).toBe("REQUEST_INVALID");
      expect(body.problems.map((p: { path: string }) => p.path).sort()).toEqual(["/priority", "/transferOutAgency"]);
      expect(body.problems[0].code).toBe("REQUEST_INVALID");
    });

    it("answers 403 FORBIDDEN to a compliance token (only agencies register)", async () => {
      const res = await t.call("POST", "/v1/cases", { token: t.gw.complianceToken, body: { transferOutAgency: GD } });
      expect(res.status).toBe(403);
    });
  });

  describe("GET /v1/cases", () => {
    it("lists the caller's cases", async () => {
      await register();
      const res = await t.call("GET", "/v1/cases?limit=10", { token: token(ZJ) });
      expect(res.status).toBe(200);
      expect((await res.json()).cases.map((c: { caseId: string }) => c.caseId)).toContain(CASE);
    });

    it("answers 400 with a pointer for a bad query parameter", async () => {
      const res = await t.call("GET", "/v1/cases?limit=many", { token: token(ZJ) });
      expect(res.status).toBe(400);
      expect((await res.json()).problems[0].path).toBe("/limit");
    });

    it("answers 403 when an agency asks for another agency's cases", async () => {
      const res = await t.call("GET", `/v1/cases?agency=${ZJ}`, { token: token(GD) });
      expect(res.status).toBe(403);
      expect((await res.json()).code).toBe("FORBIDDEN");
    });
  });

  describe("GET /v1/cases/:id", () => {
    beforeEach(async () => void (await register()));

    it("describes the caller's own case", async () => {
      const res = await t.call("GET", `/v1/cases/${CASE}`, { token: token(ZJ) });
      expect(res.status).toBe(200);
      expect((await res.json()).timeline.length).toBeGreaterThan(0);
    });

    it("answers 404 CASE_NOT_FOUND to an agency that is not party to it", async () => {
      const res = await t.call("GET", `/v1/cases/${CASE}`, { token: token("110000") });
      expect(res.status).toBe(404);
      expect((await res.json()).code).toBe("CASE_NOT_FOUND");
    });

    it("lets compliance read an agency's view with ?agency=", async () => {
      expect((await t.call("GET", `/v1/cases/${CASE}?agency=${ZJ}`, { token: t.gw.complianceToken })).status).toBe(200);
    });
  });

  describe("POST /v1/cases/:id/documents", () => {
    beforeEach(async () => void (await register()));

    it("answers 422 DOCUMENT_INVALID with pointers for a schema-invalid body", async () => {
      const body = { ...example("contact-letter").body, transferKind: "space" };
      const res = await t.call("POST", `/v1/cases/${CASE}/documents`, {
        token: token(ZJ),
        body: { type: "contact-letter", body },
      });
      expect(res.status).toBe(422);
      const answer = await res.json();
      expect(answer.code).toBe("DOCUMENT_INVALID");
      expect(answer.problems.map((p: { path: string }) => p.path)).toContain("/body/transferKind");
    });

    it("answers 409 ILLEGAL_TRANSITION for a completion before any record arrived", async () => {
      const completion = example("completion");
      const res = await t.call("POST", `/v1/cases/${CASE}/documents`, {
        token: token(ZJ),
        body: { type: "completion", body: completion.body, id: completion.id },
      });
      expect(res.status).toBe(409);
      expect((await res.json()).code).toBe("ILLEGAL_TRANSITION");
    });

    it("seals and queues a contact letter (201), which reaches the counterpart's inbox", async () => {
      const letter = example("contact-letter");
      const res = await t.call("POST", `/v1/cases/${CASE}/documents`, {
        token: token(ZJ),
        body: { type: "contact-letter", body: letter.body, id: letter.id },
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ documentId: letter.id, direction: "out", to: GD, state: "queued" });
      await t.gw.dispatcher.runOnce();

      const inbox = await (await t.call("GET", "/v1/inbox", { token: token(GD) })).json();
      expect(inbox.entries.map((e: { documentId: string }) => e.documentId)).toEqual([letter.id]);
      expect(inbox.entries[0].report.indication).toBe("TOTAL_PASSED");

      const ack = await t.call("POST", `/v1/inbox/${letter.id}/ack`, { token: token(GD) });
      expect(ack.status).toBe(201);
      expect(await ack.json()).toMatchObject({ type: "business-receipt", to: ZJ });
    });

    it("answers 404 DOCUMENT_NOT_FOUND when acknowledging a document never received", async () => {
      const res = await t.call("POST", "/v1/inbox/no-such-doc/ack", {
        token: token(GD),
        body: { outcome: "accepted" },
      });
      expect(res.status).toBe(404);
    });
  });
});
