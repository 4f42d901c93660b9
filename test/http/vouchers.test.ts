import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PERSON, letterBody, tampered, voucherBody } from "../usecases/vouchers/support.ts";
import { createTestApp, type TestApp } from "./app-harness.ts";

const ZJ = "330000";
const GD = "440000";
const SC = "510000";
const CASE = "CASE-330000-2026-000401";

describe("voucher routes (issue 11 item 1)", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());

  const token = (agency: string) => t.gw.tokens[agency]!;
  const issue = async (agency = GD, body: unknown = voucherBody(agency as "440000" | "510000")) => {
    const res = await t.call("POST", "/v1/vouchers", { token: token(agency), body: { body } });
    return { status: res.status, body: await res.json() };
  };
  const register = async (extra: Record<string, unknown>) => {
    const res = await t.call("POST", "/v1/cases", {
      token: token(ZJ),
      body: { caseId: CASE, transferOutAgency: GD, ...extra },
    });
    return { status: res.status, body: await res.json() };
  };

  describe("POST /v1/vouchers", () => {
    it("issues a sealed voucher (201) with its id, digest and the sealed document", async () => {
      const issued = await issue();
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({
        documentId: expect.any(String),
        documentSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        sealed: { document: { type: "contribution-voucher", from: GD, to: GD }, seal: expect.any(String) },
      });
    });

    it("answers 422 DOCUMENT_INVALID with pointers for a body that breaks the schema", async () => {
      const res = await issue(GD, { ...voucherBody(), voucherNumber: 7 });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe("DOCUMENT_INVALID");
      expect(res.body.problems.map((p: { path: string }) => p.path)).toContain("/body/voucherNumber");
    });

    it("answers 409 DOCUMENT_CONFLICT for an id already issued", async () => {
      const body = { body: voucherBody(), id: "GD-PZ-2026-000401" };
      expect((await t.call("POST", "/v1/vouchers", { token: token(GD), body })).status).toBe(201);
      const again = await t.call("POST", "/v1/vouchers", { token: token(GD), body });
      expect(again.status).toBe(409);
      expect((await again.json()).code).toBe("DOCUMENT_CONFLICT");
    });

    it("needs an agency token (401 without, 403 for compliance) and a body (400)", async () => {
      expect((await t.call("POST", "/v1/vouchers", { body: { body: voucherBody() } })).status).toBe(401);
      const compliance = await t.call("POST", "/v1/vouchers", { token: t.gw.complianceToken, body: { body: {} } });
      expect(compliance.status).toBe(403);
      const empty = await t.call("POST", "/v1/vouchers", { token: token(GD), body: {} });
      expect(empty.status).toBe(400);
    });
  });

  describe("GET /v1/vouchers/:id", () => {
    it("answers the issuing agency with what issuing answered, anyone else 404 VOUCHER_NOT_FOUND", async () => {
      const issued = await issue();
      const own = await t.call("GET", `/v1/vouchers/${issued.body.documentId}`, { token: token(GD) });
      expect(own.status).toBe(200);
      expect(await own.json()).toEqual(issued.body);
      const other = await t.call("GET", `/v1/vouchers/${issued.body.documentId}`, { token: token(ZJ) });
      expect(other.status).toBe(404);
      expect((await other.json()).code).toBe("VOUCHER_NOT_FOUND");
    });
  });

  describe("POST /v1/cases with a voucher", () => {
    it("registers the case (201) with the voucher among its documents, verified", async () => {
      const issued = await issue();
      const res = await register({
        person: PERSON,
        voucher: issued.body.sealed,
        priority: { reasonCode: "SERIOUS_ILLNESS" },
      });
      expect(res.status).toBe(201);
      expect(res.body.documents).toEqual([
        expect.objectContaining({
          documentId: issued.body.documentId,
          type: "contribution-voucher",
          direction: "in",
          from: GD,
          verification: { indication: "TOTAL_PASSED" },
        }),
      ]);
    });

    it.each([
      ["sealed by another agency", "VOUCHER_WRONG_ISSUER"],
      ["for another person", "VOUCHER_PERSON_MISMATCH"],
      ["tampered after sealing", "SEAL_INVALID"],
    ])("answers 422 for a voucher %s (%s)", async (what, code) => {
      const issued = await issue(what === "sealed by another agency" ? SC : GD);
      const person = what === "for another person" ? { name: "张三", idNumber: "110105194912310029" } : PERSON;
      const voucher = what === "tampered after sealing" ? tampered(issued.body) : issued.body.sealed;
      const res = await register({ person, voucher });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe(code);
      expect((await t.call("GET", `/v1/cases/${CASE}`, { token: token(ZJ) })).status).toBe(404);
    });

    it("answers 400 REQUEST_INVALID for priority without a reason and a malformed ID number", async () => {
      const res = await register({ priority: true, person: { name: "陈志强", idNumber: "123" } });
      expect(res.status).toBe(400);
      expect(res.body.problems.map((p: { path: string }) => p.path).sort()).toEqual(["/person/idNumber", "/priority"]);
    });
  });

  it("answers 422 VOUCHER_MISMATCH for a contact letter naming another voucher than the case's", async () => {
    const issued = await issue();
    expect((await register({ person: PERSON, voucher: issued.body.sealed })).status).toBe(201);
    const res = await t.call("POST", `/v1/cases/${CASE}/documents`, {
      token: token(ZJ),
      body: {
        type: "contact-letter",
        body: { ...letterBody(), voucher: { id: "GD-PZ-2026-999999", sha256: issued.body.documentSha256 } },
      },
    });
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe("VOUCHER_MISMATCH");
  });

  it("answers 422 TYPE_NOT_SUBMITTABLE for a voucher as a case document or at /v1/exchange", async () => {
    const issued = await issue();
    expect((await register({ person: PERSON })).status).toBe(201);
    const submitted = await t.call("POST", `/v1/cases/${CASE}/documents`, {
      token: token(ZJ),
      body: { type: "contribution-voucher", body: voucherBody() },
    });
    expect(submitted.status).toBe(422);
    expect((await submitted.json()).code).toBe("TYPE_NOT_SUBMITTABLE");
    const exchanged = await t.call("POST", "/v1/exchange", { body: issued.body.sealed });
    expect(exchanged.status).toBe(422);
    expect((await exchanged.json()).code).toBe("TYPE_NOT_SUBMITTABLE");
  });
});
