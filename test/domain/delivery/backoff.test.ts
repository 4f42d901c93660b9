import { describe, expect, it } from "vitest";
import { ceilingMs, decideRetry, isPastMaxAge, nextDelayMs } from "../../../src/domain/delivery/backoff.ts";

const SCHEDULE = { baseSeconds: 2, capSeconds: 300 };

describe("backoff ceiling: min(cap, base·2^attempt)", () => {
  it("doubles per attempt from base·2 after the first attempt", () => {
    expect([1, 2, 3, 4, 5].map((n) => ceilingMs(n, SCHEDULE))).toEqual([4_000, 8_000, 16_000, 32_000, 64_000]);
  });

  it("stops at the cap, also for absurd attempt counts", () => {
    expect(ceilingMs(7, SCHEDULE)).toBe(256_000);
    expect(ceilingMs(8, SCHEDULE)).toBe(300_000);
    expect(ceilingMs(1_000, SCHEDULE)).toBe(300_000);
  });

  it("is base before any attempt", () => {
    expect(ceilingMs(0, SCHEDULE)).toBe(2_000);
  });
});

describe("full jitter: uniform in [0, ceiling]", () => {
  it("given different random draws, then delays differ and scale with the draw", () => {
    expect(nextDelayMs(3, 0, SCHEDULE)).toBe(0);
    expect(nextDelayMs(3, 0.25, SCHEDULE)).toBe(4_000);
    expect(nextDelayMs(3, 0.5, SCHEDULE)).toBe(8_000);
    expect(nextDelayMs(3, 0.999, SCHEDULE)).toBe(15_984);
  });

  it("given a draw out of [0, 1) or not a number, then the delay stays within [0, ceiling]", () => {
    expect(nextDelayMs(2, -3, SCHEDULE)).toBe(0);
    expect(nextDelayMs(2, 7, SCHEDULE)).toBe(8_000);
    expect(nextDelayMs(2, Number.NaN, SCHEDULE)).toBe(0);
  });

  it("rounds to whole milliseconds", () => {
    expect(Number.isInteger(nextDelayMs(1, 0.123456789, SCHEDULE))).toBe(true);
  });
});

describe("maximum age", () => {
  const created = Date.parse("2026-03-02T08:00:00Z");
  it("given a delivery exactly at its maximum age, then it is still retried", () => {
    expect(isPastMaxAge(created, created + 60_000, 60)).toBe(false);
  });
  it("given a delivery past its maximum age, then it is given up", () => {
    expect(isPastMaxAge(created, created + 60_001, 60)).toBe(true);
  });
});

describe("decideRetry", () => {
  const created = Date.parse("2026-03-02T08:00:00Z");
  const policy = { ...SCHEDULE, maxAgeSeconds: 3600 };

  it("given a young delivery, then it schedules the next attempt at now + jittered delay", () => {
    const now = created + 10_000;
    expect(decideRetry({ attempt: 2, createdAtMs: created, nowMs: now, random: () => 0.5 }, policy)).toEqual({
      kind: "retry",
      delayMs: 4_000,
      at: now + 4_000,
    });
  });

  it("given an expired delivery, then it gives up without drawing randomness", () => {
    let draws = 0;
    const decision = decideRetry(
      { attempt: 9, createdAtMs: created, nowMs: created + 3_600_001, random: () => (draws++, 0.5) },
      policy,
    );
    expect(decision).toEqual({ kind: "give-up" });
    expect(draws).toBe(0);
  });
});
