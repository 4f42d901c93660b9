import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/runtime/config.ts";
import { defined } from "../../src/runtime/parse-materials.ts";

/** The optional `retry`, `breaker` and `peerTimeoutMs` settings of the gateway config (a demo needs seconds, not minutes). */
const base = {
  trustAnchors: ["root.pem"],
  agencies: [{ id: "440000", name: "广东", seal: { key: "k", cert: "c" }, receipt: { key: "k", cert: "c" } }],
};

describe("retry and breaker settings", () => {
  it("are absent unless configured, so the defaults stay in force", () => {
    const config = parseConfig(base);
    expect(config.retry).toBeUndefined();
    expect(config.breaker).toBeUndefined();
    expect(config.peerTimeoutMs).toBeUndefined();
  });

  it("accept partial blocks and keep only the fields given", () => {
    const config = parseConfig({ ...base, retry: { capSeconds: 1, baseSeconds: 0.2 }, breaker: { cooldownMs: 1_000 } });
    expect(defined(config.retry!)).toEqual({ capSeconds: 1, baseSeconds: 0.2 });
    expect(defined(config.breaker!)).toEqual({ cooldownMs: 1_000 });
  });

  it("refuse a base above the cap and non-positive values", () => {
    expect(() => parseConfig({ ...base, retry: { baseSeconds: 5, capSeconds: 1 } })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, retry: { baseSeconds: 0 } })).toThrow(/retry.baseSeconds/);
    expect(() => parseConfig({ ...base, breaker: { failureThreshold: 0 } })).toThrow(/breaker.failureThreshold/);
  });
});

describe("the peer request timeout", () => {
  it("is taken in whole milliseconds within bounds (left out, the transport's 15 s default holds)", () => {
    expect(parseConfig({ ...base, peerTimeoutMs: 6_000 }).peerTimeoutMs).toBe(6_000);
    expect(() => parseConfig({ ...base, peerTimeoutMs: 50 })).toThrow(/peerTimeoutMs/);
    expect(() => parseConfig({ ...base, peerTimeoutMs: 1.5 })).toThrow(/peerTimeoutMs/);
    expect(() => parseConfig({ ...base, peerTimeoutMs: 600_000 })).toThrow(/peerTimeoutMs/);
  });
});
