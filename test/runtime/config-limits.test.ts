import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_BODY_LIMITS, parseConfig } from "../../src/runtime/config.ts";

const base = {
  trustAnchors: ["root.pem"],
  agencies: [{ id: "440000", name: "广东", seal: { key: "k", cert: "c" }, receipt: { key: "k", cert: "c" } }],
};

/** Body limits per route class and the HTTP server's bounds (issue 9 item 5). */
describe("body limits and server bounds in the configuration", () => {
  it("have defaults: every route class a limit, the server a connection cap and timeouts", () => {
    const config = parseConfig(base);
    expect(config).toMatchObject({ maxDocumentBytes: 1024 * 1024, ...DEFAULT_BODY_LIMITS });
    expect(config.server).toEqual({
      maxConnections: 1024,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      acceptPerTurn: 8,
    });
  });

  it("take the limits from JIEXU_* variables, and partial server blocks", () => {
    const config = parseConfig(
      { ...base, server: { requestTimeoutMs: 30_000 } },
      { JIEXU_MAX_UPLOAD_BYTES: "2097152", JIEXU_MAX_REQUEST_BYTES: "16384" },
    );
    expect(config).toMatchObject({ maxUploadBytes: 2 * 1024 * 1024, maxRequestBytes: 16 * 1024 });
    expect(config.server).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 20_000 });
  });

  it("refuse a headers timeout longer than the request timeout, and limits below 1 KiB", () => {
    expect(() => parseConfig({ ...base, server: { headersTimeoutMs: 10_000, requestTimeoutMs: 5_000 } })).toThrow(
      ConfigError,
    );
    expect(() => parseConfig({ ...base, maxRequestBytes: 10 })).toThrow(/maxRequestBytes/);
  });
});
