import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contactLetter, createTestApp, example, type TestApp } from "./app-harness.ts";

/**
 * Issue 9 items 3–5 at the HTTP edge: every body is read under its route class's limit and through
 * the one strict JSON reader; what it refuses is a coded 400 or 413, never a 500, and nothing is written.
 */
describe("request bodies: strict JSON and limits (issue 9 items 3–5)", () => {
  let t: TestApp;
  const LIMITS = { maxDocumentBytes: 32 * 1024, maxUploadBytes: 64 * 1024, maxRequestBytes: 8 * 1024 };
  const zj = () => t.gw.tokens["330000"]!;
  const gd = () => t.gw.tokens["440000"]!;
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const refused = async (res: Response, status: number, code: string, reason?: string) => {
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body.code).toBe(code);
    if (reason) expect(body.problems[0].code).toBe(reason);
    return body;
  };
  /** A sealed letter as JSON text, with one string value replaced in the text (after sealing). */
  const sealedText = (id: string, caseId: string) =>
    new TextDecoder().decode(t.sealed(contactLetter(t.gw, { id, caseId })));
  const inboxIds = async () =>
    (
      (await (await t.call("GET", "/v1/inbox?limit=200", { token: gd() })).json()).entries as {
        sealed: { document: { id: string } };
      }[]
    ).map((e) => e.sealed.document.id);
  const caseDocuments = async (caseId: string) =>
    (await (await t.call("GET", `/v1/cases/${caseId}`, { token: zj() })).json()).documents as unknown[];

  // A fresh gateway per test: "nothing is written" is checked against a store only that test wrote to.
  beforeEach(async () => {
    t = await createTestApp(LIMITS);
  });
  afterEach(async () => t.gw.close());

  describe("no 5xx from values (issue 9 item 3)", () => {
    it("a lone surrogate in a document is 400 JSON_INVALID at /v1/exchange (issue 9 item 3)", async () => {
      const text = sealedText("ZJ-LXH-SJ-1", "CASE-SJ-1").replace(/"name":"[^"]*"/, '"name":"\\ud800"');
      const body = await refused(
        await t.call("POST", "/v1/exchange", { raw: text }),
        400,
        "JSON_INVALID",
        "LONE_SURROGATE",
      );
      expect(body.problems[0].path).toMatch(/^\/document\/body\/.*name$/);
      expect(await inboxIds()).not.toContain("ZJ-LXH-SJ-1");
    });

    it("a lone surrogate in a submitted document is 400 JSON_INVALID and nothing is sealed (issue 9 item 3)", async () => {
      await t.call("POST", "/v1/cases", { token: zj(), body: { caseId: "CASE-SJ-2", transferOutAgency: "440000" } });
      const letter = example("contact-letter");
      const raw = JSON.stringify({
        type: "contact-letter",
        body: { ...letter.body, person: { ...letter.body.person, name: "X" } },
        id: "SJ-LXH-2",
      }).replace('"X"', '"\\udc00"');
      await refused(
        await t.call("POST", "/v1/cases/CASE-SJ-2/documents", { token: zj(), raw }),
        400,
        "JSON_INVALID",
        "LONE_SURROGATE",
      );
      expect(await caseDocuments("CASE-SJ-2")).toEqual([]);
    });

    it("/v1/verify answers 400, not 500, to a lone surrogate, a null document, 1e400 and 5,000 levels of nesting (issue 9 item 3)", async () => {
      const sealed = sealedText("ZJ-LXH-SJ-3", "CASE-SJ-3");
      const verify = (raw: string) => t.call("POST", "/v1/verify", { token: t.gw.complianceToken, raw });
      await refused(
        await verify(sealed.replace(/"name":"[^"]*"/, '"name":"\\ud800"')),
        400,
        "JSON_INVALID",
        "LONE_SURROGATE",
      );
      await refused(await verify('{"document":null,"seal":"AAAA"}'), 400, "REQUEST_INVALID");
      await refused(await verify('{"document":null}'), 400, "REQUEST_INVALID");
      await refused(await verify('{"document":1e400,"seal":"AAAA"}'), 400, "JSON_INVALID", "NUMBER_NOT_FINITE");
      await refused(
        await verify(`{"document":${"[".repeat(5000)}${"]".repeat(5000)},"seal":"AAAA"}`),
        400,
        "JSON_INVALID",
        "TOO_DEEP",
      );
      expect(t.logs.filter((l) => l.level === "error")).toEqual([]);
    });

    it("a sealed document with a key given twice is 400 JSON_INVALID DUPLICATE_KEY: two readers must not see two documents", async () => {
      const text = sealedText("ZJ-LXH-SJ-4", "CASE-SJ-4").replace('"to":"440000"', '"to":"440000","to":"510000"');
      const body = await refused(
        await t.call("POST", "/v1/exchange", { raw: text }),
        400,
        "JSON_INVALID",
        "DUPLICATE_KEY",
      );
      expect(body.problems[0].path).toBe("/document/to");
      expect(await inboxIds()).not.toContain("ZJ-LXH-SJ-4");
    });
  });

  describe("bytes are UTF-8 or refused (issue 9 item 4)", () => {
    // 张志强 in GBK: what a legacy agency system sent, and what a lossy decoder turned into "��־ǿ".
    const gbkName = new Uint8Array([0xd5, 0xc5, 0xd6, 0xbe, 0xc7, 0xbf]);
    const splice = (text: string, marker: string, bytes: Uint8Array) => {
      const [head, tail] = text.split(marker) as [string, string];
      return new Uint8Array([...utf8(head), ...bytes, ...utf8(tail)]);
    };

    it("a GBK-encoded body is refused 400 JSON_INVALID at document submission, and nothing is sealed (issue 9 item 4)", async () => {
      await t.call("POST", "/v1/cases", { token: zj(), body: { caseId: "CASE-GBK-1", transferOutAgency: "440000" } });
      const letter = example("contact-letter");
      const text = JSON.stringify({
        type: "contact-letter",
        body: { ...letter.body, person: { ...letter.body.person, name: "@NAME@" } },
        id: "GBK-LXH-1",
      });
      const res = await t.call("POST", "/v1/cases/CASE-GBK-1/documents", {
        token: zj(),
        raw: splice(text, "@NAME@", gbkName),
      });
      await refused(res, 400, "JSON_INVALID", "NOT_UTF8");
      expect(await caseDocuments("CASE-GBK-1")).toEqual([]);
      const deliveries = (await (await t.call("GET", "/v1/deliveries?limit=200", { token: zj() })).json())
        .deliveries as { documentId?: string }[];
      expect(deliveries.map((d) => d.documentId)).not.toContain("GBK-LXH-1");
      // The same request in UTF-8 is sealed: the refusal was the encoding, nothing else.
      const fine = await t.call("POST", "/v1/cases/CASE-GBK-1/documents", {
        token: zj(),
        raw: splice(text, "@NAME@", utf8("张志强")),
      });
      expect(fine.status).toBe(201);
      expect(await caseDocuments("CASE-GBK-1")).toHaveLength(1);
    });

    it("a body with an invalid UTF-8 sequence is refused on every JSON route (registration, validation, verify, exchange)", async () => {
      const bad = splice('{"caseId":"@X@","transferOutAgency":"440000"}', "@X@", gbkName);
      await refused(await t.call("POST", "/v1/cases", { token: zj(), raw: bad }), 400, "JSON_INVALID", "NOT_UTF8");
      await refused(
        await t.call("POST", "/v1/documents/validate", { token: zj(), raw: bad }),
        400,
        "JSON_INVALID",
        "NOT_UTF8",
      );
      await refused(
        await t.call("POST", "/v1/verify", { token: t.gw.complianceToken, raw: bad }),
        400,
        "JSON_INVALID",
        "NOT_UTF8",
      );
      const encodedSurrogate = splice(
        sealedText("ZJ-LXH-GBK-2", "CASE-GBK-2"),
        "浙",
        new Uint8Array([0xed, 0xa0, 0x80]),
      );
      await refused(await t.call("POST", "/v1/exchange", { raw: encodedSurrogate }), 400, "JSON_INVALID", "NOT_UTF8");
    });
  });

  describe("every body has a limit (issue 9 item 5)", () => {
    const big = (bytes: number) => JSON.stringify({ note: "n".repeat(bytes), vkey: "k" });

    it("an oversize body on the public witness route is 413 BODY_TOO_LARGE, declared or streamed (issue 9 item 5)", async () => {
      const body = big(LIMITS.maxRequestBytes + 1);
      const declared = await t.call("POST", "/v1/archive/witness", {
        raw: body,
        headers: { "content-length": String(utf8(body).length) },
      });
      const refusedBody = await refused(declared, 413, "BODY_TOO_LARGE");
      expect(refusedBody.message).toContain(String(LIMITS.maxRequestBytes));
      expect(declared.headers.get("connection")).toBe("close");
      let sent = 0;
      const endless = new ReadableStream({ pull: (c) => void ((sent += 1024), c.enqueue(utf8("[".repeat(1024)))) });
      const streamed = await t.app.request("/v1/archive/witness", {
        method: "POST",
        body: endless,
        duplex: "half",
      } as RequestInit);
      await refused(streamed, 413, "BODY_TOO_LARGE");
      expect(sent).toBeLessThan(LIMITS.maxRequestBytes + 8 * 1024);
    });

    it("each route class has its own limit: documents, uploads, everything else", async () => {
      await t.call("POST", "/v1/cases", { token: zj(), body: { caseId: "CASE-GBK-1", transferOutAgency: "440000" } });
      const between = big(LIMITS.maxRequestBytes + 2048); // over the request class, under the others
      await refused(await t.call("POST", "/v1/archive/witness", { raw: between }), 413, "BODY_TOO_LARGE");
      // Registrations are uploads: they may carry the voucher as its printed PDF (issue 13 item 2).
      expect((await t.call("POST", "/v1/cases", { token: zj(), raw: between })).status).not.toBe(413);
      await refused(await t.call("POST", "/v1/inbox/x/ack", { token: gd(), raw: between }), 413, "BODY_TOO_LARGE");
      expect((await t.call("POST", "/v1/documents/validate", { token: zj(), raw: between })).status).not.toBe(413);
      expect((await t.call("POST", "/v1/cases/CASE-GBK-1/documents", { token: zj(), raw: between })).status).not.toBe(
        413,
      );
      expect((await t.call("POST", "/v1/exchange", { raw: between })).status).not.toBe(413);

      const overDocument = big(LIMITS.maxDocumentBytes + 1);
      await refused(await t.call("POST", "/v1/exchange", { raw: overDocument }), 413, "BODY_TOO_LARGE");
      await refused(
        await t.call("POST", "/v1/cases/CASE-GBK-1/documents", { token: zj(), raw: overDocument }),
        413,
        "BODY_TOO_LARGE",
      );
      expect((await t.call("POST", "/v1/verify", { token: t.gw.complianceToken, raw: overDocument })).status).not.toBe(
        413,
      );

      const overUpload = big(LIMITS.maxUploadBytes + 1);
      await refused(
        await t.call("POST", "/v1/verify", { token: t.gw.complianceToken, raw: overUpload }),
        413,
        "BODY_TOO_LARGE",
      );
      await refused(
        await t.call("POST", "/v1/documents/validate", { token: zj(), raw: overUpload }),
        413,
        "BODY_TOO_LARGE",
      );
      await refused(await t.call("POST", "/v1/assessments", { token: zj(), raw: overUpload }), 413, "BODY_TOO_LARGE");
      await refused(await t.call("POST", "/v1/cases", { token: zj(), raw: overUpload }), 413, "BODY_TOO_LARGE");
    });
  });
});
