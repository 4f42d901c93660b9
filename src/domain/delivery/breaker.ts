import { CodedError } from "../errors.ts";

/**
 * Per-peer circuit breakers (issue 5 item 2). A peer gateway that keeps failing is left alone for a
 * cooldown instead of being hit by every due delivery; then exactly one probe goes through, and its
 * outcome closes the breaker or opens it again (for a cooldown that may grow).
 *
 *   closed ──N consecutive failures──▶ open ──cooldown elapsed──▶ half-open (one probe)
 *     ▲                                  ▲                              │
 *     └────────── success ───────────────┼──────────────────────────────┤
 *                                        └────────── failure ───────────┘
 *
 * Pure: no clock. Every call takes `now` in epoch milliseconds; `half-open` is derived from it, so
 * a breaker never needs a timer to leave `open`. A granted probe that never reports (its caller
 * died) is given up after `probeTimeoutMs`, and another probe is granted: no state sticks forever
 * (the "stuck states" users report against Holodeck and Domibus,
 * docs/references.md "Lessons from eDelivery and X-Road").
 */

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerConfig {
  /** Consecutive failures that open a closed breaker. */
  failureThreshold: number;
  /** How long an opened breaker refuses attempts before allowing a probe. */
  cooldownMs: number;
  /** Factor applied to the cooldown each time a probe fails (1: constant). */
  cooldownGrowth: number;
  /** Ceiling of a growing cooldown. */
  maxCooldownMs: number;
  /** A probe without an outcome after this long no longer blocks the next one. */
  probeTimeoutMs: number;
}

/**
 * A refusal and a timeout are the same failure here (the transport reports both). The threshold is no
 * larger than the attempts allowed in flight to one peer (4, in the dispatcher and the transport):
 * a refusing peer fails a burst in milliseconds, a hung one only when its timeouts fire, and with
 * 5 a hung peer needed two rounds of 15 s timeouts to open its breaker (issue 9 item 8); with 4,
 * one round.
 */
export const DEFAULT_BREAKER: BreakerConfig = {
  failureThreshold: 4,
  cooldownMs: 30_000,
  cooldownGrowth: 1,
  maxCooldownMs: 300_000,
  probeTimeoutMs: 60_000,
};

export type BreakerErrorCode = "BREAKER_CONFIG_INVALID";
export class BreakerError extends CodedError<BreakerErrorCode> {}

/** One peer's breaker as metrics and operators see it. */
export interface BreakerView {
  peer: string;
  state: BreakerState;
  consecutiveFailures: number;
  /** Times this breaker has opened (re-opening after a failed probe included). */
  opens: number;
  openedAt?: number;
  /** When an open breaker allows its probe. */
  probeAt?: number;
}

export interface BreakerBook {
  /** Whether an attempt to `peer` may go now. In half-open this claims the single probe: ask only when about to send. */
  canAttempt(peer: string, now: number): boolean;
  /** The peer answered (a receipt, or a refusal that proves it is up). Closes the breaker. */
  onSuccess(peer: string, now: number): BreakerState;
  /** The peer did not answer usefully (unreachable, timeout, 5xx, 408/425/429). */
  onFailure(peer: string, now: number): BreakerState;
  state(peer: string, now: number): BreakerState;
  snapshot(now: number): BreakerView[];
}

interface Entry {
  open: boolean;
  consecutiveFailures: number;
  opens: number;
  openedAt: number;
  cooldownMs: number;
  /** When the outstanding half-open probe was granted. */
  probeSince?: number;
}

export function createBreakerBook(config: Partial<BreakerConfig> = {}): BreakerBook {
  const c = checkConfig({ ...DEFAULT_BREAKER, ...config });
  const entries = new Map<string, Entry>();
  const entry = (peer: string): Entry => {
    let e = entries.get(peer);
    if (!e)
      entries.set(peer, (e = { open: false, consecutiveFailures: 0, opens: 0, openedAt: 0, cooldownMs: c.cooldownMs }));
    return e;
  };
  const stateOf = (e: Entry | undefined, now: number): BreakerState =>
    !e?.open ? "closed" : now >= e.openedAt + e.cooldownMs ? "half-open" : "open";
  const open = (e: Entry, now: number, cooldownMs: number) => {
    e.open = true;
    e.openedAt = now;
    e.cooldownMs = cooldownMs;
    e.opens += 1;
    delete e.probeSince;
  };

  return {
    canAttempt(peer, now) {
      const e = entries.get(peer);
      const state = stateOf(e, now);
      if (state !== "half-open") return state === "closed";
      if (e!.probeSince !== undefined && now < e!.probeSince + c.probeTimeoutMs) return false;
      e!.probeSince = now;
      return true;
    },
    onSuccess(peer) {
      const e = entry(peer);
      e.open = false;
      e.consecutiveFailures = 0;
      e.cooldownMs = c.cooldownMs;
      delete e.probeSince;
      return "closed";
    },
    onFailure(peer, now) {
      const e = entry(peer);
      e.consecutiveFailures += 1;
      const state = stateOf(e, now);
      if (state === "closed" && e.consecutiveFailures >= c.failureThreshold) open(e, now, c.cooldownMs);
      else if (state === "half-open") open(e, now, Math.min(c.maxCooldownMs, e.cooldownMs * c.cooldownGrowth));
      // Open and cooling down: a late failure of a request sent before opening changes nothing.
      return stateOf(e, now);
    },
    state: (peer, now) => stateOf(entries.get(peer), now),
    snapshot: (now) =>
      [...entries].map(([peer, e]) => ({
        peer,
        state: stateOf(e, now),
        consecutiveFailures: e.consecutiveFailures,
        opens: e.opens,
        ...(e.open ? { openedAt: e.openedAt, probeAt: e.openedAt + e.cooldownMs } : {}),
      })),
  };
}

function checkConfig(c: BreakerConfig): BreakerConfig {
  const bad = (what: string) => new BreakerError("BREAKER_CONFIG_INVALID", `breaker ${what}`);
  if (!Number.isInteger(c.failureThreshold) || c.failureThreshold < 1)
    throw bad("failureThreshold must be an integer ≥ 1");
  if (!(c.cooldownMs >= 0) || !(c.probeTimeoutMs > 0)) throw bad("cooldownMs must be ≥ 0 and probeTimeoutMs > 0");
  if (!(c.cooldownGrowth >= 1) || !(c.maxCooldownMs >= c.cooldownMs))
    throw bad("cooldownGrowth must be ≥ 1 and maxCooldownMs ≥ cooldownMs");
  return c;
}
