import { describe, expect, it } from "vitest";
import { createTokenBuckets } from "../../src/usecases/rate-limit.ts";

describe("token buckets", () => {
  it("grants the burst, then says how many whole seconds until the next token", () => {
    const buckets = createTokenBuckets({ burst: 3, perSecond: 0.5 });
    expect([0, 0, 0].map(() => buckets.take("a", 1_000))).toEqual([0, 0, 0]);
    expect(buckets.take("a", 1_000)).toBe(2);
    expect(buckets.take("a", 2_000)).toBe(1);
    expect(buckets.take("a", 3_000)).toBe(0);
  });

  it("keeps keys apart and never refills beyond the burst", () => {
    const buckets = createTokenBuckets({ burst: 1, perSecond: 1 });
    expect(buckets.take("a", 0)).toBe(0);
    expect(buckets.take("b", 0)).toBe(0);
    expect(buckets.take("a", 0)).toBe(1);
    expect(buckets.take("a", 3_600_000)).toBe(0);
    expect(buckets.take("a", 3_600_000)).toBe(1);
  });

  it("tolerates a clock going backwards without granting extra tokens", () => {
    const buckets = createTokenBuckets({ burst: 1, perSecond: 1 });
    expect(buckets.take("a", 10_000)).toBe(0);
    expect(buckets.take("a", 5_000)).toBe(1);
  });

  it("bounds memory: past maxKeys a new key evicts, so an empty bucket's limit may reset but memory does not grow", () => {
    const buckets = createTokenBuckets({ burst: 1, perSecond: 0.001 }, 2);
    for (const key of ["a", "b", "c", "d"]) expect(buckets.take(key, 0)).toBe(0);
    // "a" was evicted (oldest, none refilled) and comes back as a fresh bucket.
    expect(buckets.take("a", 0)).toBe(0);
    expect(buckets.take("d", 0)).toBeGreaterThan(0);
  });
});
