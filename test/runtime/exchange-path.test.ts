import type { ServerType } from "@hono/node-server";
import type { Server } from "node:http";
import { connect } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createExchangePath } from "../../src/http/exchange-path.ts";
import { ServerConfig } from "../../src/runtime/config.ts";
import { listenHttp } from "../../src/runtime/http-server.ts";
import type { Logger } from "../../src/usecases/index.ts";
import { contactLetter, createTestApp, type LogLine, type TestApp } from "../http/app-harness.ts";

/**
 * The lean `POST /v1/exchange` path of the Node server (issue 12 item 4) answers as the Hono route does:
 * the same statuses, coded bodies, request ids, size limits, access log lines and metrics.
 */
describe("the lean /v1/exchange path", () => {
  let t: TestApp;
  let server: ServerType;
  let base: string;
  const logs: LogLine[] = [];
  const logger: Logger = {
    info: (event, fields = {}) => void logs.push({ level: "info", event, fields }),
    warn: (event, fields = {}) => void logs.push({ level: "warn", event, fields }),
    error: (event, fields = {}) => void logs.push({ level: "error", event, fields }),
  };

  beforeEach(async () => {
    logs.length = 0;
    t = await createTestApp({ maxDocumentBytes: 16 * 1024 });
    let n = 0;
    const exchange = createExchangePath({
      gateway: t.gw.deps,
      metrics: t.metrics,
      logger,
      requestId: () => `lean-${++n}`,
    });
    server = await listenHttp(t.app.fetch, {
      port: 0,
      hostname: "127.0.0.1",
      server: ServerConfig.parse({}),
      exchange,
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterEach(async () => {
    const closed = new Promise<void>((r) => server.close(() => r()));
    (server as Server).closeAllConnections();
    await closed;
    await t.gw.close();
  });

  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/exchange`, { method: "POST", body, headers });

  it("accepts a sealed document (201), answers its replay with the same receipt (200), and logs both", async () => {
    const sealed = t.sealed(contactLetter(t.gw, { id: "ZJ-LXH-LEAN-1", caseId: "CASE-LEAN-1" }));
    const first = await post(sealed as BodyInit, { "x-request-id": "client-1" });
    expect(first.status).toBe(201);
    expect(first.headers.get("x-request-id")).toBe("client-1");
    expect(first.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const receipt = await first.text();
    const replay = await post(sealed as BodyInit);
    expect(replay.status).toBe(200);
    expect(replay.headers.get("x-request-id")).toBe("lean-1");
    expect(await replay.text()).toBe(receipt);
    // The Hono route gives the same replay answer.
    const viaApp = await t.call("POST", "/v1/exchange", { raw: sealed });
    expect(viaApp.status).toBe(200);
    expect(await viaApp.text()).toBe(receipt);
    const access = logs.filter((l) => l.event === "http.request").map((l) => l.fields);
    expect(access).toEqual([
      expect.objectContaining({
        requestId: "client-1",
        method: "POST",
        path: "/v1/exchange",
        route: "/v1/exchange",
        status: 201,
      }),
      expect.objectContaining({ requestId: "lean-1", route: "/v1/exchange", status: 200 }),
    ]);
    const metrics = await t.metrics.render();
    expect(metrics).toContain('jiexu_http_requests_total{method="POST",route="/v1/exchange",status="201"} 1');
    // Both paths count under the same route: two answers here, one through the Hono app.
    expect(metrics).toContain('jiexu_http_request_seconds_count{method="POST",route="/v1/exchange"} 3');
  });

  it("refuses non-JSON with the Hono route's coded 400 JSON_INVALID", async () => {
    const res = await post("not json", { "x-request-id": "bad-1" });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-request-id")).toBe("bad-1");
    const body = await res.json();
    const viaApp = await t.call("POST", "/v1/exchange", { raw: "not json", headers: { "x-request-id": "bad-1" } });
    expect(viaApp.status).toBe(400);
    expect(body).toEqual(await viaApp.json());
    expect(body).toMatchObject({ code: "JSON_INVALID", requestId: "bad-1" });
  });

  it("refuses a declared oversize body with 413 BODY_TOO_LARGE before reading it, without 100 Continue", async () => {
    const text = await rawExchange(
      `POST /v1/exchange HTTP/1.1\r\nHost: x\r\nContent-Length: ${1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(text).not.toContain("100 Continue");
    expect(text.startsWith("HTTP/1.1 413")).toBe(true);
    expect(text.toLowerCase()).toContain("connection: close");
    expect(text.toLowerCase()).not.toContain("transfer-encoding");
    expect(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4))).toMatchObject({ code: "BODY_TOO_LARGE" });
  });

  it("refuses a chunked body once it passes the limit, and closes the connection", async () => {
    const chunk = `400\r\n${"[".repeat(1024)}\r\n`;
    const text = await rawExchange(
      `POST /v1/exchange HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(20)}`,
    );
    expect(text.startsWith("HTTP/1.1 413")).toBe(true);
  });

  it("leaves other methods to the Hono app", async () => {
    const get = await fetch(`${base}/v1/exchange`);
    expect(get.status).toBe(404);
    expect((await get.json()).code).toBe("NOT_FOUND");
    expect(logs.filter((l) => l.event === "http.request")).toEqual([]);
  });

  /** Write a raw request and collect what comes back until the server closes the connection. */
  function rawExchange(request: string): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(Number(new URL(base).port), "127.0.0.1");
      let text = "";
      socket.on("data", (d) => void (text += d.toString("latin1")));
      socket.on("error", () => undefined);
      socket.on("close", () => resolve(text));
      socket.write(request);
    });
  }
});
