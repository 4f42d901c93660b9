import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./app-harness.ts";

describe("operations routes and middleware", () => {
  let t: TestApp;
  // A fresh gateway per test: log and metric assertions see only that test's requests.
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.gw.close());

  it("GET /healthz answers ok with the version and hosted agencies", async () => {
    const res = await t.call("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      version: "test",
      hostedAgencies: expect.arrayContaining(["440000", "330000"]),
    });
  });

  it("GET /metrics answers Prometheus text 0.0.4 with request latency per route", async () => {
    await t.call("GET", "/healthz");
    const res = await t.call("GET", "/metrics");
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    expect(text).toContain("# TYPE jiexu_http_request_seconds histogram");
    expect(text).toMatch(/jiexu_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/jiexu_http_request_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} \d+/);
    for (const line of text.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? [\d.e+-]+)$/);
  });

  it("GET /docs serves a self-contained HTML page (no external scripts or styles)", async () => {
    const res = await t.call("GET", "/docs");
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("/openapi.json");
    expect(html).toContain("试一试 Try it");
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']?https?:/);
    const script = /<script>([\s\S]*)<\/script>/.exec(html)![1]!;
    expect(() => new Function(script)).not.toThrow(); // parses as JavaScript
  });

  describe("request ids", () => {
    it("honours a client's X-Request-Id", async () => {
      const res = await t.call("GET", "/v1/cases", { headers: { "x-request-id": "client-42" } });
      expect(res.headers.get("x-request-id")).toBe("client-42");
      expect((await res.json()).requestId).toBe("client-42");
    });

    it("replaces an unprintable or overlong one", async () => {
      const res = await t.call("GET", "/healthz", { headers: { "x-request-id": "x".repeat(300) } });
      expect(res.headers.get("x-request-id")).toMatch(/^req-\d+$/);
    });

    it.each(["ID110105194912310029", "11010519491231002X", "trace-110105194912310029A"])(
      "replaces one holding an ID number before it is logged or echoed: %s (issue 9 item 11)",
      async (offered) => {
        const res = await t.call("GET", "/v1/cases", { headers: { "x-request-id": offered } });
        const requestId = res.headers.get("x-request-id")!;
        expect(requestId).toMatch(/^req-\d+$/);
        expect((await res.json()).requestId).toBe(requestId);
        const line = t.logs.find((l) => l.event === "http.request" && l.fields.requestId === requestId)!;
        expect(line).toBeDefined();
        expect(JSON.stringify(t.logs)).not.toContain(offered);
      },
    );
  });

  it("answers an unknown route with a coded 404", async () => {
    const res = await t.call("GET", "/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "NOT_FOUND" });
  });

  describe("the access log", () => {
    it("logs method, route, status, duration, request id and principal", async () => {
      await t.call("GET", "/v1/inbox", { token: t.gw.tokens["440000"]!, headers: { "x-request-id": "log-1" } });
      const line = t.logs.find((l) => l.event === "http.request" && l.fields.requestId === "log-1")!;
      expect(line.fields).toMatchObject({
        method: "GET",
        path: "/v1/inbox",
        route: "/v1/inbox",
        status: 200,
        principal: "440000",
      });
      expect(typeof line.fields.ms).toBe("number");
    });

    it("masks 公民身份号码 in logged paths", async () => {
      await t.call("GET", "/v1/cases/11010519491231002X", {
        token: t.gw.tokens["330000"]!,
        headers: { "x-request-id": "log-2" },
      });
      const line = t.logs.find((l) => l.fields.requestId === "log-2")!;
      expect(line.fields.path).toBe("/v1/cases/110105********002X");
      expect(JSON.stringify(t.logs)).not.toContain("11010519491231002X");
    });

    it.each([
      { path: "/v1/cases/ID110105194912310029", logged: "/v1/cases/ID110105********0029" },
      { path: "/v1/cases/110105194912310029A", logged: "/v1/cases/110105********0029A" },
      { path: "/v1/cases/110105%2019491231%200029", logged: "/v1/cases/110105 ******** 0029" },
    ])(
      "masks an ID number joined to letters or digits or split by spaces in the logged path: $path (issue 9 item 11)",
      async ({ path, logged }) => {
        const requestId = `log-${logged.length}-${path.length}`;
        await t.call("GET", path, { token: t.gw.tokens["330000"]!, headers: { "x-request-id": requestId } });
        const line = t.logs.find((l) => l.fields.requestId === requestId)!;
        expect(line.fields.path).toBe(logged);
        expect(JSON.stringify(t.logs)).not.toMatch(/19491231/);
      },
    );
  });
});
