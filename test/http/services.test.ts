import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cancelDelivery, retryDelivery } from "../../src/usecases/index.ts";
import { contactLetter, createTestApp, example, type TestApp } from "./app-harness.ts";

const CASE = "CASE-SVC-1";

describe("checks, verification, deliveries and audit routes", () => {
  // A fresh gateway per test: each test registers and submits what it reads.
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());
  const zj = () => t.gw.tokens["330000"]!;

  describe("POST /v1/documents/validate", () => {
    it("answers one validation result per document", async () => {
      const bad = { ...example("contact-letter"), body: {} };
      const res = await t.call("POST", "/v1/documents/validate", {
        token: zj(),
        body: [example("contact-letter"), bad],
      });
      expect(res.status).toBe(200);
      const { results } = await res.json();
      expect(results.map((r: { valid: boolean }) => r.valid)).toEqual([true, false]);
    });
  });

  describe("POST /v1/assessments", () => {
    it("answers 422 ASSESSMENT_INPUT_INVALID with problems for unusable input", async () => {
      const res = await t.call("POST", "/v1/assessments", { token: zj(), body: { nonsense: true } });
      expect(res.status).toBe(422);
      expect((await res.json()).code).toBe("ASSESSMENT_INPUT_INVALID");
    });
  });

  describe("POST /v1/verify", () => {
    it("gives compliance the full report of a sealed document", async () => {
      const sealed = new TextDecoder().decode(t.sealed(contactLetter(t.gw)));
      const res = await t.call("POST", "/v1/verify", { token: t.gw.complianceToken, raw: sealed });
      expect(res.status).toBe(200);
      const { report } = await res.json();
      expect(report.indication).toBe("TOTAL_PASSED");
      expect(report.checks.length).toBeGreaterThan(0);
    });

    it("answers 400 with a pointer for a validation time that is not ISO 8601", async () => {
      const res = await t.call("POST", "/v1/verify?at=yesterday", { token: t.gw.complianceToken, body: {} });
      expect(res.status).toBe(400);
      expect((await res.json()).problems[0].path).toBe("/at");
    });
  });

  describe("deliveries", () => {
    it("lists, retries and cancels the caller's deliveries; others get 404", async () => {
      await t.call("POST", "/v1/cases", { token: zj(), body: { caseId: CASE, transferOutAgency: "440000" } });
      const letter = example("contact-letter");
      // Keep the dispatcher from delivering at once, so the delivery stays open to act on.
      t.gw.deps.onQueued = undefined;
      await t.call("POST", `/v1/cases/${CASE}/documents`, {
        token: zj(),
        body: { type: "contact-letter", body: letter.body, id: "SVC-LXH-1" },
      });
      const list = await (await t.call("GET", "/v1/deliveries?state=queued", { token: zj() })).json();
      const delivery = list.deliveries.find((d: { documentId: string }) => d.documentId === "SVC-LXH-1");
      expect(delivery).toMatchObject({ state: "queued", target: "440000" });

      expect(
        (await t.call("POST", `/v1/deliveries/${delivery.id}/retry`, { token: t.gw.tokens["440000"]! })).status,
      ).toBe(404);
      const retried = await t.call("POST", `/v1/deliveries/${delivery.id}/retry`, { token: zj() });
      expect(await retried.json()).toMatchObject({ id: delivery.id, state: "retrying" });
      const cancelled = await t.call("POST", `/v1/deliveries/${delivery.id}/cancel`, { token: t.gw.adminToken });
      expect(await cancelled.json()).toMatchObject({ state: "cancelled" });
    });

    describe("who may retry and cancel a delivery (issue 9 item 11)", () => {
      const openDelivery = async (n: number) => {
        const caseId = `CASE-SVC-MATRIX-${n}`;
        await t.call("POST", "/v1/cases", { token: zj(), body: { caseId, transferOutAgency: "440000" } });
        t.gw.deps.onQueued = undefined;
        const letter = example("contact-letter");
        await t.call("POST", `/v1/cases/${caseId}/documents`, {
          token: zj(),
          body: { type: "contact-letter", body: letter.body, id: `SVC-MATRIX-${n}` },
        });
        const list = await (await t.call("GET", "/v1/deliveries?state=queued&limit=500", { token: zj() })).json();
        return list.deliveries.find((d: { documentId: string }) => d.documentId === `SVC-MATRIX-${n}`) as {
          id: string;
          state: string;
        };
      };
      const stateOf = async (id: string) =>
        (await (await t.call("GET", "/v1/deliveries?limit=500", { token: t.gw.adminToken })).json()).deliveries.find(
          (d: { id: string }) => d.id === id,
        ).state;

      it.each([
        { n: 1, who: "the owning agency", token: () => zj(), status: 200 },
        { n: 2, who: "admin", token: () => t.gw.adminToken, status: 200 },
        { n: 3, who: "another agency", token: () => t.gw.tokens["440000"]!, status: 404, code: "DELIVERY_NOT_FOUND" },
        { n: 4, who: "compliance", token: () => t.gw.complianceToken, status: 403, code: "FORBIDDEN" },
      ])("$who: retry and cancel answer $status", async ({ n, token, status, code }) => {
        const delivery = await openDelivery(n);
        expect(delivery.state).toBe("queued");
        const retried = await t.call("POST", `/v1/deliveries/${delivery.id}/retry`, { token: token() });
        expect(retried.status).toBe(status);
        if (code) expect((await retried.json()).code).toBe(code);
        expect(await stateOf(delivery.id)).toBe(status === 200 ? "retrying" : "queued");
        const cancelled = await t.call("POST", `/v1/deliveries/${delivery.id}/cancel`, { token: token() });
        expect(cancelled.status).toBe(status);
        if (code) expect((await cancelled.json()).code).toBe(code);
        expect(await stateOf(delivery.id)).toBe(status === 200 ? "cancelled" : "queued");
      });

      it("compliance still reads every agency's deliveries", async () => {
        await openDelivery(5);
        const res = await t.call("GET", "/v1/deliveries?limit=500", { token: t.gw.complianceToken });
        expect(res.status).toBe(200);
        expect((await res.json()).deliveries.length).toBeGreaterThan(0);
      });

      it("the use cases refuse compliance too, whatever route calls them", async () => {
        const delivery = await openDelivery(7);
        const compliance = { tokenId: "tok-compliance", role: "compliance" } as const;
        await expect(retryDelivery(t.gw.deps, compliance, delivery.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
        await expect(cancelDelivery(t.gw.deps, compliance, delivery.id)).rejects.toMatchObject({ code: "FORBIDDEN" });
      });
    });

    it("answers 400 for an unknown state filter", async () => {
      expect((await t.call("GET", "/v1/deliveries?state=lost", { token: zj() })).status).toBe(400);
    });
  });

  describe("GET /v1/audit", () => {
    it("is refused to agency tokens (403)", async () => {
      expect((await t.call("GET", "/v1/audit", { token: zj() })).status).toBe(403);
    });

    it("shows compliance the audit trail", async () => {
      await t.call("POST", "/v1/cases", { token: zj(), body: { caseId: CASE, transferOutAgency: "440000" } });
      const res = await t.call("GET", "/v1/audit?agency=330000&kind=case.registered", { token: t.gw.complianceToken });
      expect(res.status).toBe(200);
      expect((await res.json()).events).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: "case.registered", caseId: CASE })]),
      );
    });
  });
});
