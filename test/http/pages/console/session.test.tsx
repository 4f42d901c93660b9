import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenHash } from "../../../../src/http/auth.ts";
import { issueToken } from "../../../../src/runtime/tokens.ts";
import { createTestApp, type TestApp } from "../../app-harness.ts";
import { openCaseWithLetter, signIn } from "./console-harness.ts";

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("console sign-in, sessions and CSRF", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await openCaseWithLetter(t, "CASE-CONSOLE-1");
  });
  afterAll(() => t.gw.close());

  it("sends a visitor without a session to the sign-in page", async () => {
    for (const path of ["/console", "/console/cases", "/console/deliveries", "/console/new"]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location")).toBe("/console/login");
    }
    const login = await t.app.request("/console/login");
    expect(login.status).toBe(200);
    expect(await login.text()).toMatch(
      /<label for="token">令牌<\/label>\s*<input id="token" name="token" type="password"/,
    );
  });

  it("signs an agency in with an HttpOnly, SameSite=Strict cookie scoped to /console (Secure on https)", async () => {
    const res = await t.app.request("/console/login", {
      method: "POST",
      headers: { ...FORM, origin: "http://localhost" },
      body: form({ token: t.gw.tokens["440000"]! }),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^jiexu_console=[0-9a-f]{64}\.\d+\.[\w-]{43}; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/console");
    expect(cookie).toContain("Max-Age=28800");
    expect(cookie).not.toContain("Secure");
    const tls = await t.app.request("/console/login", {
      method: "POST",
      headers: { ...FORM, "x-forwarded-proto": "https" },
      body: form({ token: t.gw.tokens["440000"]! }),
    });
    expect(tls.headers.get("set-cookie")).toContain("; Secure");
  });

  it("answers a wrong token with a neutral 401 page and no cookie; compliance is pointed elsewhere", async () => {
    const res = await t.app.request("/console/login", {
      method: "POST",
      headers: FORM,
      body: form({ token: "not-a-token-at-all" }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("令牌无效或已撤销");
    const compliance = await t.app.request("/console/login", {
      method: "POST",
      headers: FORM,
      body: form({ token: t.gw.complianceToken }),
    });
    expect(compliance.status).toBe(403);
    expect(await compliance.text()).toContain("控制台供经办机构使用");
  });

  it("refuses a forged or tampered cookie", async () => {
    const s = await signIn(t, "440000");
    const tampered = s.cookie.replace(/\.(\d+)\./, (_, n) => `.${Number(n) + 3600}.`);
    const res = await t.app.request("/console", { headers: { cookie: tampered } });
    expect(res.status).toBe(303);
  });

  it("refuses a POST without the CSRF token or from a foreign origin, and changes nothing", async () => {
    const s = await signIn(t, "440000");
    const inbox = await s.get("/console");
    expect(inbox.html).toContain("CASE-CONSOLE-1-LX");
    const path = "/console/inbox/CASE-CONSOLE-1-LX/ack";
    const noToken = await s.post(path, { _csrf: "" });
    expect(noToken.status).toBe(403);
    const wrongToken = await s.post(path, { _csrf: s.csrf.replace(/^./, (ch) => (ch === "A" ? "B" : "A")) });
    expect(wrongToken.status).toBe(403);
    const foreign = await s.post(path, {}, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain("未做任何更改");
    const foreignReferer = await s.post(path, {}, { origin: "", referer: "https://evil.example/x" });
    expect(foreignReferer.status).toBe(403);
    const crossSite = await s.post(path, {}, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
    const nullOrigin = await s.post(path, {}, { origin: "null" });
    expect(nullOrigin.status).toBe(403);
    const still = await t.call("GET", "/v1/inbox", { token: t.gw.tokens["440000"] });
    const entry = (await still.json()).entries.find(
      (e: { documentId: string }) => e.documentId === "CASE-CONSOLE-1-LX",
    );
    expect(entry.state).toBe("received");
  });

  it("acknowledges from the inbox, which then no longer lists the document", async () => {
    const s = await signIn(t, "440000");
    const res = await s.post("/console/inbox/CASE-CONSOLE-1-LX/ack", { from: "330000" });
    expect(res.status).toBe(303);
    const after = await s.get(res.headers.get("location")!);
    expect(after.html).toContain("已确认并发出业务回执");
    expect(after.html).toContain("没有待确认的文书");
    const api = await t.call("GET", "/v1/inbox", { token: t.gw.tokens["440000"] });
    const entry = (await api.json()).entries.find((e: { documentId: string }) => e.documentId === "CASE-CONSOLE-1-LX");
    expect(entry.state).toBe("acknowledged");
  });

  it("ends the session once its token no longer belongs to an agency", async () => {
    const token = await issueToken(t.gw.deps.store, { tokenId: "tok-short", role: "agency", agencyId: "510000" }, "x");
    const res = await t.app.request("/console/login", {
      method: "POST",
      headers: FORM,
      body: form({ token }),
    });
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    expect((await t.app.request("/console", { headers: { cookie } })).status).toBe(200);
    await t.gw.deps.store.saveToken(await tokenHash(token), { tokenId: "tok-short", role: "compliance" }, "demoted");
    const after = await t.app.request("/console", { headers: { cookie } });
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/console/login");
  });

  it("speaks English on ?lang=en and keeps the language through its forms", async () => {
    const s = await signIn(t, "440000");
    const page = await s.get("/console/cases?lang=en");
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>Cases</h1>");
    expect(page.html).toContain('action="/console/logout?lang=en"');
    expect(page.html).toContain('<html lang="en">');
  });

  it("answers malformed console posts with a page or a coded refusal, never a 5xx", async () => {
    const s = await signIn(t, "440000");
    const bodies: [string, string][] = [
      ["multipart/form-data; boundary=x", "--x\r\nbroken"],
      ["application/x-www-form-urlencoded", "%E0%A4%A"],
      ["application/json", '{"_csrf": 1}'],
    ];
    for (const path of [
      "/console/inbox/X/ack",
      "/console/cases/X/documents",
      "/console/new/voucher",
      "/console/logout",
    ])
      for (const [type, body] of bodies) {
        const res = await t.app.request(path, {
          method: "POST",
          headers: { cookie: s.cookie, "content-type": type, origin: "http://localhost" },
          body,
        });
        expect(res.status, `${path} ${type}`).toBeLessThan(500);
      }
    for (const [path, fields] of [
      ["/console/cases/NO-SUCH-CASE/documents", { type: "completion", body: "{}" }],
      ["/console/cases/NO-SUCH-CASE/documents", { type: "receipt", body: "" }],
      ["/console/new/voucher", { body: "null" }],
      ["/console/inbox/NO-SUCH-DOC/ack", {}],
      ["/console/deliveries/NO-SUCH/retry", {}],
    ] as const) {
      const res = await s.post(path, fields);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(await res.text()).toContain('role="alert"');
    }
  });

  it("signs out with a POST that clears the cookie", async () => {
    const s = await signIn(t, "330000");
    const res = await s.post("/console/logout", {});
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
  });
});
