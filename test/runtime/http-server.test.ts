import type { ServerType } from "@hono/node-server";
import { connect, type Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerConfig } from "../../src/runtime/config.ts";
import { listenHttp } from "../../src/runtime/http-server.ts";
import { contactLetter, createTestApp, type TestApp } from "../http/app-harness.ts";

/**
 * The Node server's own bounds (issue 9 item 5) over real sockets: the app behind `listenHttp`, the
 * function the Node composition root serves with, configured with small limits and timeouts.
 */
describe("the gateway's HTTP server over a real socket", () => {
  let t: TestApp;
  let server: ServerType;
  let port: number;
  const config = ServerConfig.parse({
    maxConnections: 8,
    headersTimeoutMs: 400,
    requestTimeoutMs: 600,
    keepAliveTimeoutMs: 1000,
  });

  // A server per test: connections a test leaves behind (fetch keeps them alive) never count against the
  // connection cap another test measures.
  beforeEach(async () => {
    t = await createTestApp({ maxRequestBytes: 4096 });
    server = await listenHttp(t.app.fetch, { port: 0, hostname: "127.0.0.1", server: config });
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    await t.gw.close();
  });

  /** A raw connection: what was received so far, and a promise of the close. */
  const open = () => {
    const socket = connect(port, "127.0.0.1");
    const state = { text: "", closed: false, socket };
    socket.on("data", (d) => void (state.text += d.toString("latin1")));
    socket.on("error", () => undefined);
    const closed = new Promise<void>((r) => socket.on("close", () => ((state.closed = true), r())));
    return {
      ...state,
      get text() {
        return state.text;
      },
      get closed() {
        return state.closed;
      },
      whenClosed: closed,
      socket: socket as Socket,
    };
  };
  const until = async (check: () => boolean, ms: number) => {
    const end = Date.now() + ms;
    while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return check();
  };

  it("answers Expect: 100-continue over the limit with 413 BODY_TOO_LARGE, not a dropped connection (issue 9 item 5)", async () => {
    const c = open();
    c.socket.write(
      `POST /v1/archive/witness HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${400 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(await until(() => c.text.includes("\r\n\r\n{"), 5000), c.text).toBe(true);
    expect(c.text).not.toContain("100 Continue");
    expect(c.text.startsWith("HTTP/1.1 413")).toBe(true);
    expect(JSON.parse(c.text.slice(c.text.indexOf("\r\n\r\n") + 4))).toMatchObject({ code: "BODY_TOO_LARGE" });
    c.socket.destroy();
  });

  it("sends 100 Continue for a body within the limit, then answers it", async () => {
    const c = open();
    const body = JSON.stringify({ note: "x", vkey: "y" });
    c.socket.write(
      `POST /v1/archive/witness HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    expect(await until(() => c.text.includes("100 Continue"), 5000), c.text).toBe(true);
    c.socket.write(body);
    expect(await until(() => /HTTP\/1\.1 [2-4]\d\d (?!Continue)/.test(c.text), 5000), c.text).toBe(true);
    expect(c.text).not.toMatch(/HTTP\/1\.1 5\d\d/);
    c.socket.destroy();
  });

  it("refuses a declared body over the route's limit with 413 before reading it, chunked ones while they stream", async () => {
    const declared = await fetch(`http://127.0.0.1:${port}/v1/archive/witness`, {
      method: "POST",
      body: JSON.stringify({ note: "n".repeat(8000), vkey: "k" }),
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).code).toBe("BODY_TOO_LARGE");
    // A chunked body that never ends: refused once 4 KiB have come in, and the connection closed.
    const c = open();
    c.socket.write("POST /v1/archive/witness HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    const drip = setInterval(() => c.socket.writable && c.socket.write(`400\r\n${"[".repeat(1024)}\r\n`), 10);
    try {
      expect(await until(() => c.closed, 5000), c.text).toBe(true);
    } finally {
      clearInterval(drip);
    }
    expect(c.text.startsWith("HTTP/1.1 413")).toBe(true);
  });

  it("cuts a body trickling in at the configured request timeout (issue 9 item 5)", async () => {
    const c = open();
    const started = Date.now();
    c.socket.write(
      `POST /v1/archive/witness HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`,
    );
    const drip = setInterval(() => c.socket.writable && c.socket.write(" "), 50);
    try {
      expect(await until(() => c.closed, 15_000), "the connection is still open").toBe(true);
    } finally {
      clearInterval(drip);
    }
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(config.requestTimeoutMs - 50);
    // Generous under a loaded machine; without the bound it stayed open for minutes (Node's default is 300 s).
    expect(elapsed).toBeLessThan(config.requestTimeoutMs + 10_000);
    expect(c.text === "" || c.text.startsWith("HTTP/1.1 408")).toBe(true);
  });

  it("cuts a client that never finishes its headers at the headers timeout", async () => {
    const c = open();
    c.socket.write("POST /v1/exchange HTTP/1.1\r\nHost: x\r\n");
    expect(await until(() => c.closed, 5000)).toBe(true);
  });

  it("caps concurrent connections, and serves again once they are gone", async () => {
    const held = Array.from({ length: config.maxConnections }, () => open());
    for (const h of held) h.socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await until(() => held.every((h) => h.text.includes("HTTP/1.1 200")), 5000)).toBe(true);
    const extra = open();
    expect(await until(() => extra.closed, 3000), "a connection over the cap is closed").toBe(true);
    expect(extra.text).toBe("");
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.whenClosed));
    await until(() => false, 50);
    const res = await fetch(`http://127.0.0.1:${port}/v1/exchange`, {
      method: "POST",
      body: t.sealed(contactLetter(t.gw, { id: "ZJ-LXH-SRV-1", caseId: "CASE-SRV-1" })) as BodyInit,
    });
    expect(res.status).toBe(201);
  });
});
