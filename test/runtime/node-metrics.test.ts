import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway } from "../../src/runtime/node.ts";
import { tempDir } from "../fixtures/openssl.ts";

/**
 * What the Node gateway's /metrics tells monitoring beyond the request counters: the outbox's depth, the open
 * circuit breakers, and how long until the earliest CRL's next update — past it, verification of every seal
 * chained to that CRL's issuer waits (TRY_LATER), so an alert belongs well before.
 */
describe("the Node gateway's gauges", () => {
  const dataDir = tempDir("jiexu-metrics-");
  let running: RunningGateway;
  beforeAll(async () => {
    running = await startGateway({ dataDir, port: 0, timers: false, log: () => {} });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("reports the seconds to the earliest CRL update, the outbox depth and the open breakers", async () => {
    const text = await (await fetch(`${running.url}/metrics`)).text();
    const sample = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
    // The development CRLs are made (or remade) to last more than a week past the start.
    expect(sample("jiexu_crl_next_update_seconds")).toBeGreaterThan(7 * 24 * 3600 - 60);
    expect(text).toContain("# TYPE jiexu_crl_next_update_seconds gauge");
    expect(sample("jiexu_outbox_depth")).toBe(0);
    expect(sample("jiexu_peer_breakers_open")).toBe(0);
  });
});
