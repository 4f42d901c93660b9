import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shanghaiTimestamp } from "../../src/usecases/canonical.ts";
import { createTestApp, example, type TestApp } from "./app-harness.ts";

const CASE = "CASE-330000-2024-000815";
const ZJ = "330000";
const GD = "440000";

/**
 * Issue 15 item 2: the files of schemas/examples are posted to `POST /v1/cases/:id/documents` as they
 * are, envelope and all; the envelope fields the gateway sets must agree with it, `issuedAt` is ignored.
 */
describe("POST /v1/cases/:id/documents with the examples' envelopes", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());

  const post = (agency: string, doc: Record<string, unknown>, caseId = String(doc.caseId)) =>
    t.call("POST", `/v1/cases/${caseId}/documents`, { token: t.gw.tokens[agency]!, body: doc });
  const register = async (caseId = CASE) => {
    const res = await t.call("POST", "/v1/cases", {
      token: t.gw.tokens[ZJ]!,
      body: { caseId, transferOutAgency: GD },
    });
    expect(res.status).toBe(201);
  };
  /** Post and expect 201, naming the example when it is refused. */
  const accepted = async (agency: string, doc: Record<string, unknown>) => {
    const res = await post(agency, doc);
    expect({ id: doc.id, status: res.status, body: res.status === 201 ? "" : await res.text() }).toEqual({
      id: doc.id,
      status: 201,
      body: "",
    });
    await t.gw.dispatcher.runOnce();
  };

  it("takes contact-letter, insurance-record, fund-transfer and completion as-is, through to completion", async () => {
    await register();
    await accepted(ZJ, example("contact-letter"));
    await accepted(GD, example("insurance-record"));
    await accepted(GD, example("fund-transfer"));
    await accepted(ZJ, example("completion"));
    const view = await (await t.call("GET", `/v1/cases/${CASE}`, { token: t.gw.tokens[ZJ]! })).json();
    expect(view.status).toBe("completed");
  });

  it("takes discrepancy as-is in place of the completion", async () => {
    await register();
    for (const [agency, type] of [
      [ZJ, "contact-letter"],
      [GD, "insurance-record"],
      [GD, "fund-transfer"],
      [ZJ, "discrepancy"],
    ] as const)
      await accepted(agency, example(type));
  });

  it("takes return as-is, answering the contact letter of its own case", async () => {
    const returned = example("return");
    await register(returned.caseId);
    await accepted(ZJ, { ...example("contact-letter"), caseId: returned.caseId, id: returned.replyTo });
    await accepted(GD, returned);
  });

  it("refuses the documents an agency does not submit (receipts, vouchers) with 422 TYPE_NOT_SUBMITTABLE", async () => {
    await register();
    for (const type of ["receipt", "business-receipt"]) {
      const res = await post(ZJ, example(type));
      expect([type, res.status, (await res.json()).code]).toEqual([type, 422, "TYPE_NOT_SUBMITTABLE"]);
    }
    const voucher = example("contribution-voucher");
    const res = await post(GD, voucher, CASE);
    expect(res.status).toBe(400); // its caseId is the voucher's own, not this case's
    expect((await res.json()).problems).toEqual([expect.objectContaining({ path: "/caseId" })]);
  });

  it("ignores issuedAt: the sealed document carries the time the gateway sealed it", async () => {
    await register();
    await accepted(ZJ, example("contact-letter"));
    const inbox = await (await t.call("GET", "/v1/inbox", { token: t.gw.tokens[GD]! })).json();
    expect(inbox.entries[0].sealed.document.issuedAt).toBe(shanghaiTimestamp(t.gw.clock.now()));
    expect(inbox.entries[0].sealed.document.issuedAt).not.toBe(example("contact-letter").issuedAt);
  });

  describe("refuses an envelope that disagrees with what the gateway sets, naming the field", () => {
    beforeEach(() => register());

    it("caseId other than the path's: 400 REQUEST_INVALID at /caseId", async () => {
      const res = await post(ZJ, { ...example("contact-letter"), caseId: "CASE-OTHER" }, CASE);
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body).toMatchObject({
        code: "REQUEST_INVALID",
        problems: [{ code: "ENVELOPE_MISMATCH", path: "/caseId" }],
      });
      expect(body.message).toContain("caseId");
    });

    it("from other than the calling agency: 400 REQUEST_INVALID at /from", async () => {
      const res = await post(ZJ, { ...example("contact-letter"), from: "110000" });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ problems: [{ code: "ENVELOPE_MISMATCH", path: "/from" }] });
    });

    it("to other than the case's counterpart: 403 WRONG_PARTY naming to", async () => {
      const res = await post(ZJ, { ...example("contact-letter"), to: "110000" });
      expect(res.status).toBe(403);
      const body = await res.json();
      expect(body.code).toBe("WRONG_PARTY");
      expect(body.message).toMatch(/^to: agency 110000 .*440000/);
    });

    it("jiexu other than 1: 400 REQUEST_INVALID at /jiexu", async () => {
      const res = await post(ZJ, { ...example("contact-letter"), jiexu: 2 });
      expect(res.status).toBe(400);
      expect((await res.json()).problems).toEqual([expect.objectContaining({ path: "/jiexu" })]);
    });

    it("still takes type and body alone, the gateway filling in the envelope", async () => {
      const { type, body, id } = example("contact-letter");
      expect((await post(ZJ, { type, body, id }, CASE)).status).toBe(201);
    });
  });
});

describe("POST /v1/vouchers with the example's envelope", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());
  const issue = (agency: string, body: unknown) =>
    t.call("POST", "/v1/vouchers", { token: t.gw.tokens[agency]!, body });

  it("issues contribution-voucher.json as-is (201), its id kept", async () => {
    const res = await issue(GD, example("contribution-voucher"));
    expect(res.status).toBe(201);
    expect((await res.json()).documentId).toBe(example("contribution-voucher").id);
  });

  it("refuses an envelope not from and to the issuer, or naming another case, at the field (400)", async () => {
    const res = await issue(ZJ, { ...example("contribution-voucher"), caseId: "CASE-OTHER" });
    expect(res.status).toBe(400);
    expect((await res.json()).problems.map((p: { path: string }) => p.path)).toEqual(["/caseId", "/from", "/to"]);
  });
});
