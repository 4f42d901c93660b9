import { describe, expect, it } from "vitest";
import { createBreakerBook, DEFAULT_BREAKER, type BreakerBook } from "../../../src/domain/delivery/breaker.ts";

const PEER = "440000";
const T0 = 1_000_000;

/** A breaker with threshold 3 and a 10 s cooldown that doubles on a failed probe, up to 25 s. */
function book(): BreakerBook {
  return createBreakerBook({
    failureThreshold: 3,
    cooldownMs: 10_000,
    cooldownGrowth: 2,
    maxCooldownMs: 25_000,
    probeTimeoutMs: 5_000,
  });
}

function failTimes(b: BreakerBook, n: number, at = T0): void {
  for (let i = 0; i < n; i++) b.onFailure(PEER, at);
}

/** Given an open breaker (opened at T0), now in half-open with its probe granted at T0 + 10 s. */
function probing(): BreakerBook {
  const b = book();
  failTimes(b, 3);
  expect(b.canAttempt(PEER, T0 + 10_000)).toBe(true);
  return b;
}

describe("circuit breaker: closed", () => {
  it("given an unknown peer, then it is closed and attempts may go", () => {
    const b = book();
    expect(b.state(PEER, T0)).toBe("closed");
    expect(b.canAttempt(PEER, T0)).toBe(true);
    expect(b.snapshot(T0)).toEqual([]);
  });

  it("given fewer consecutive failures than the threshold, then it stays closed", () => {
    const b = book();
    failTimes(b, 2);
    expect(b.state(PEER, T0)).toBe("closed");
    expect(b.canAttempt(PEER, T0)).toBe(true);
  });

  it("given failures interrupted by a success, then the count restarts and it stays closed", () => {
    const b = book();
    failTimes(b, 2);
    b.onSuccess(PEER, T0);
    failTimes(b, 2);
    expect(b.state(PEER, T0)).toBe("closed");
    expect(b.snapshot(T0)[0]).toMatchObject({ consecutiveFailures: 2, opens: 0 });
  });

  it("given the default config, then it opens on the fifth consecutive failure", () => {
    const b = createBreakerBook();
    for (let i = 1; i < DEFAULT_BREAKER.failureThreshold; i++) expect(b.onFailure(PEER, T0)).toBe("closed");
    expect(b.onFailure(PEER, T0)).toBe("open");
    expect(b.state(PEER, T0 + DEFAULT_BREAKER.cooldownMs - 1)).toBe("open");
    expect(b.state(PEER, T0 + DEFAULT_BREAKER.cooldownMs)).toBe("half-open");
  });
});

describe("circuit breaker: closed → open", () => {
  it("given threshold consecutive failures, when asked during the cooldown, then attempts are refused", () => {
    const b = book();
    failTimes(b, 3);
    expect(b.state(PEER, T0)).toBe("open");
    expect(b.canAttempt(PEER, T0)).toBe(false);
    expect(b.canAttempt(PEER, T0 + 9_999)).toBe(false);
    expect(b.snapshot(T0)).toEqual([
      { peer: PEER, state: "open", consecutiveFailures: 3, opens: 1, openedAt: T0, probeAt: T0 + 10_000 },
    ]);
  });

  it("given an open breaker, when late failures arrive, then the cooldown is not extended", () => {
    const b = book();
    failTimes(b, 3);
    b.onFailure(PEER, T0 + 5_000);
    expect(b.state(PEER, T0 + 10_000)).toBe("half-open");
    expect(b.snapshot(T0)[0]?.opens).toBe(1);
  });

  it("keeps peers apart: one peer's failures leave another closed", () => {
    const b = book();
    failTimes(b, 3);
    expect(b.canAttempt("330000", T0)).toBe(true);
    expect(b.state("330000", T0)).toBe("closed");
  });
});

describe("circuit breaker: open → half-open", () => {
  it("given the cooldown elapsed, when attempts are asked for, then exactly one probe is granted", () => {
    const b = book();
    failTimes(b, 3);
    expect(b.state(PEER, T0 + 10_000)).toBe("half-open");
    expect(b.canAttempt(PEER, T0 + 10_000)).toBe(true);
    expect(b.canAttempt(PEER, T0 + 10_001)).toBe(false);
    expect(b.canAttempt(PEER, T0 + 14_999)).toBe(false);
    expect(b.state(PEER, T0 + 10_001)).toBe("half-open");
  });

  it("given a probe that never reports, when the probe timeout passes, then another probe is granted", () => {
    const b = probing();
    expect(b.canAttempt(PEER, T0 + 15_000)).toBe(true);
    expect(b.canAttempt(PEER, T0 + 15_001)).toBe(false);
  });
});

describe("circuit breaker: half-open → closed", () => {
  it("given a granted probe, when it succeeds, then the breaker closes and the failure count resets", () => {
    const b = probing();
    expect(b.onSuccess(PEER, T0 + 10_100)).toBe("closed");
    expect(b.canAttempt(PEER, T0 + 10_100)).toBe(true);
    expect(b.canAttempt(PEER, T0 + 10_100)).toBe(true);
    expect(b.snapshot(T0 + 10_100)).toEqual([{ peer: PEER, state: "closed", consecutiveFailures: 0, opens: 1 }]);
  });

  it("given a closed breaker after recovery, then it takes threshold failures again to open", () => {
    const b = probing();
    b.onSuccess(PEER, T0 + 10_100);
    failTimes(b, 2, T0 + 11_000);
    expect(b.state(PEER, T0 + 11_000)).toBe("closed");
    b.onFailure(PEER, T0 + 11_000);
    expect(b.state(PEER, T0 + 11_000)).toBe("open");
    expect(b.state(PEER, T0 + 21_000)).toBe("half-open");
  });

  it("given an open breaker, when a request sent before it opened succeeds, then it closes (the peer is up)", () => {
    const b = book();
    failTimes(b, 3);
    expect(b.onSuccess(PEER, T0 + 1_000)).toBe("closed");
    expect(b.canAttempt(PEER, T0 + 1_000)).toBe(true);
  });
});

describe("circuit breaker: half-open → open", () => {
  it("given a granted probe, when it fails, then the breaker re-opens for a grown cooldown", () => {
    const b = probing();
    expect(b.onFailure(PEER, T0 + 10_100)).toBe("open");
    expect(b.canAttempt(PEER, T0 + 10_100)).toBe(false);
    expect(b.state(PEER, T0 + 10_100 + 19_999)).toBe("open");
    expect(b.state(PEER, T0 + 10_100 + 20_000)).toBe("half-open");
    expect(b.snapshot(T0 + 10_100)[0]).toMatchObject({
      state: "open",
      opens: 2,
      openedAt: T0 + 10_100,
      probeAt: T0 + 30_100,
    });
  });

  it("given probes failing again and again, then the cooldown grows up to its ceiling", () => {
    const b = probing();
    let at = T0 + 10_000;
    const cooldowns: number[] = [];
    for (let i = 0; i < 3; i++) {
      b.onFailure(PEER, at);
      const view = b.snapshot(at)[0]!;
      cooldowns.push(view.probeAt! - view.openedAt!);
      at = view.probeAt!;
      expect(b.canAttempt(PEER, at)).toBe(true);
    }
    expect(cooldowns).toEqual([20_000, 25_000, 25_000]);
  });

  it("given a constant cooldown (growth 1, the default), then a failed probe re-opens for the same time", () => {
    const b = createBreakerBook({ failureThreshold: 1, cooldownMs: 1_000 });
    b.onFailure(PEER, T0);
    expect(b.canAttempt(PEER, T0 + 1_000)).toBe(true);
    b.onFailure(PEER, T0 + 1_000);
    expect(b.state(PEER, T0 + 1_999)).toBe("open");
    expect(b.state(PEER, T0 + 2_000)).toBe("half-open");
  });

  it("given a probe that succeeds after re-opening, then the cooldown resets to its base", () => {
    const b = probing();
    b.onFailure(PEER, T0 + 10_000);
    b.onSuccess(PEER, T0 + 30_000);
    failTimes(b, 3, T0 + 40_000);
    expect(b.snapshot(T0 + 40_000)[0]).toMatchObject({ openedAt: T0 + 40_000, probeAt: T0 + 50_000 });
  });
});

describe("circuit breaker: configuration", () => {
  it.each([
    { failureThreshold: 0 },
    { failureThreshold: 1.5 },
    { cooldownMs: -1 },
    { cooldownGrowth: 0.5 },
    { cooldownMs: 10_000, maxCooldownMs: 5_000 },
    { probeTimeoutMs: 0 },
  ])("refuses %o with BREAKER_CONFIG_INVALID", (config) => {
    expect(() => createBreakerBook(config)).toThrow(expect.objectContaining({ code: "BREAKER_CONFIG_INVALID" }));
  });
});
