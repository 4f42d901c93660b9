import { describe, expect, it } from "vitest";
import { DEFAULT_OUTAGE_MS, demoLimitMs } from "../../src/cli/demo/scenario.ts";

/** `jiexu demo --outage-ms` up to 30,000 (issue 9 item 11): its limits follow the outage asked for. */
describe("jiexu demo limits", () => {
  it("keeps 60 s for the default outage and adds any longer outage (issue 9 item 11)", () => {
    expect(demoLimitMs(DEFAULT_OUTAGE_MS)).toBe(60_000);
    expect(demoLimitMs(0)).toBe(60_000);
    expect(demoLimitMs(25_000)).toBe(82_000);
    expect(demoLimitMs(30_000)).toBe(87_000);
  });
});
