import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contactLetter, createTestApp, type TestApp } from "./app-harness.ts";

const post = (t: TestApp, body: string | Uint8Array) => t.call("POST", "/v1/exchange", { raw: body });

describe("POST /v1/exchange", () => {
  let t: TestApp;
  let small: TestApp;
  // Fresh gateways per test: the metrics test counts only what it sends itself.
  beforeEach(async () => {
    t = await createTestApp();
    small = await createTestApp({ maxDocumentBytes: 2048 });
  });
  afterEach(async () => {
    await t.gw.close();
    await small.gw.close();
  });

  describe("when a sealed document arrives for a hosted agency", () => {
    it("answers 201 with the receipt sealed by the receiving gateway, and 200 with the same receipt on replay", async () => {
      const bytes = t.sealed(contactLetter(t.gw, { id: "ZJ-LXH-X-1", caseId: "CASE-X-1" }));
      const first = await post(t, bytes);
      expect(first.status).toBe(201);
      expect(first.headers.get("content-type")).toContain("application/json");
      const receipt = await first.json();
      expect(receipt.document).toMatchObject({ type: "receipt", from: "440000", to: "330000" });
      expect(typeof receipt.seal).toBe("string");

      const again = await post(t, bytes);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(receipt);
    });

    it("answers 409 DOCUMENT_CONFLICT when the same (from, id) comes back with other content", async () => {
      const doc = contactLetter(t.gw, { id: "ZJ-LXH-X-2", caseId: "CASE-X-2" });
      expect((await post(t, t.sealed(doc))).status).toBe(201);
      const other = { ...doc, body: { ...(doc.body as object), letterNumber: "浙社保联〔2024〕9999号" } };
      const res = await post(t, t.sealed(other));
      expect(res.status).toBe(409);
      expect((await res.json()).code).toBe("DOCUMENT_CONFLICT");
    });
  });

  describe("when the request is refused", () => {
    it("needs no bearer token but answers 400 JSON_INVALID for non-JSON", async () => {
      const res = await post(t, "not json at all");
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "JSON_INVALID", requestId: expect.any(String) });
    });

    it("answers 422 DOCUMENT_INVALID with pointers for a schema-invalid document", async () => {
      const res = await post(t, JSON.stringify({ document: { jiexu: 1, type: "contact-letter" }, seal: "AAAA" }));
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.code).toBe("DOCUMENT_INVALID");
      expect(body.problems.every((p: { path: string }) => p.path.startsWith("/document"))).toBe(true);
    });

    it("answers 422 SEAL_INVALID with the report when the document was altered after sealing", async () => {
      const doc = contactLetter(t.gw, { id: "ZJ-LXH-X-3", caseId: "CASE-X-3" });
      const sealed = JSON.parse(new TextDecoder().decode(t.sealed(doc)));
      sealed.document.body.letterNumber = "浙社保联〔2024〕0001号";
      const res = await post(t, JSON.stringify(sealed));
      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.code).toBe("SEAL_INVALID");
      expect(body.report.indication).toBe("TOTAL_FAILED");
    });

    it("answers 422 SEAL_AGENCY_MISMATCH when another agency's certificate sealed it", async () => {
      const res = await post(t, t.sealed(contactLetter(t.gw, { id: "ZJ-LXH-X-4", caseId: "CASE-X-4" }), "110000"));
      expect(res.status).toBe(422);
      expect((await res.json()).code).toBe("SEAL_AGENCY_MISMATCH");
    });

    it("answers 413 BODY_TOO_LARGE beyond the configured limit, before reading it", async () => {
      const res = await post(small, JSON.stringify({ padding: "x".repeat(4096) }));
      expect(res.status).toBe(413);
      expect((await res.json()).code).toBe("BODY_TOO_LARGE");
    });

    it("answers 413 for a chunked body without Content-Length too", async () => {
      const stream = new ReadableStream({
        start: (c) => (c.enqueue(new TextEncoder().encode("x".repeat(5000))), c.close()),
      });
      const res = await small.app.request("/v1/exchange", {
        method: "POST",
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(res.status).toBe(413);
    });
  });

  it("counts documents in by type and outcome for /metrics", async () => {
    const doc = contactLetter(t.gw, { id: "ZJ-LXH-X-5", caseId: "CASE-X-5" });
    expect((await post(t, t.sealed(doc))).status).toBe(201);
    const tampered = JSON.parse(new TextDecoder().decode(t.sealed({ ...doc, id: "ZJ-LXH-X-6" })));
    tampered.document.body.letterNumber = "浙社保联〔2024〕0001号";
    expect((await post(t, JSON.stringify(tampered))).status).toBe(422);
    const text = await (await t.call("GET", "/metrics")).text();
    expect(text).toMatch(/jiexu_documents_in_total\{type="contact-letter",outcome="accepted"\} \d+/);
    expect(text).toMatch(/jiexu_documents_in_total\{type="unknown",outcome="SEAL_INVALID"\} 1/);
    expect(text).toMatch(/jiexu_receive_seconds_count \d+/);
  });
});
