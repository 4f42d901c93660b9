/**
 * The outbox retry schedule (issue 5 item 2): exponential backoff with "full jitter" (AWS
 * architecture blog, "Exponential Backoff And Jitter"), capped, and a maximum age after which a
 * delivery stops being retried and is shown to operators as `failed`.
 *
 * Why full jitter: Domibus offers only CONSTANT and PROGRESSIVE schedules
 * (docs/references.md "Lessons from eDelivery and X-Road"), so every sender that lost a peer at the same
 * moment comes back at the same moment. Drawing the whole delay uniformly from [0, ceiling] spreads a
 * recovering peer's load the most.
 *
 * Pure: the randomness (a number in [0, 1)) and the times are arguments, never read here.
 */

export interface BackoffSchedule {
  /** The first retry's ceiling is base·2 (after attempt 1), then it doubles per attempt. */
  baseSeconds: number;
  /** No ceiling grows past this. */
  capSeconds: number;
}

/** Exponents past this change nothing once capped, and 2^30 keeps the arithmetic exact. */
const MAX_EXPONENT = 30;

/**
 * The largest delay allowed after `attempt` failed attempts (1-based): min(cap, base·2^attempt), in ms.
 * Attempt 0 (nothing sent yet) has ceiling `base`.
 */
export function ceilingMs(attempt: number, schedule: BackoffSchedule): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT);
  const seconds = Math.min(schedule.capSeconds, schedule.baseSeconds * 2 ** exponent);
  return Math.max(0, seconds) * 1000;
}

/**
 * Delay before the next attempt after `attempt` failed attempts: uniform in [0, ceilingMs(attempt)],
 * rounded to whole milliseconds. `random01` is a uniform draw in [0, 1); values outside are clamped.
 */
export function nextDelayMs(attempt: number, random01: number, schedule: BackoffSchedule): number {
  const r = Number.isFinite(random01) ? Math.min(Math.max(random01, 0), 1) : 0;
  return Math.round(r * ceilingMs(attempt, schedule));
}

/**
 * Whether a delivery queued at `createdAtMs` is past its maximum age at `nowMs` and should be
 * `failed` instead of retried. Exactly at the limit it still gets its retry.
 */
export function isPastMaxAge(createdAtMs: number, nowMs: number, maxAgeSeconds: number): boolean {
  return nowMs - createdAtMs > maxAgeSeconds * 1000;
}

/**
 * The whole decision after a failed attempt: `give-up` past the maximum age, otherwise when to try
 * again. Callers keep the state (retrying or uncertain) and the error text.
 */
export type RetryDecision = { kind: "give-up" } | { kind: "retry"; delayMs: number; at: number };

/** `random` is drawn only when a retry is scheduled, so a give-up consumes no randomness. */
export function decideRetry(
  input: { attempt: number; createdAtMs: number; nowMs: number; random: () => number },
  policy: BackoffSchedule & { maxAgeSeconds: number },
): RetryDecision {
  if (isPastMaxAge(input.createdAtMs, input.nowMs, policy.maxAgeSeconds)) return { kind: "give-up" };
  const delayMs = nextDelayMs(input.attempt, input.random(), policy);
  return { kind: "retry", delayMs, at: input.nowMs + delayMs };
}

/** The refusal statuses worth another attempt: 408, 425, 429 and 5xx (for the breaker: the peer is not well). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Whether a refused delivery is tried again: a retryable status, or CASE_CONFLICT (409) — the receiver's
 * case changed under a concurrent write and the same bytes are accepted on the next attempt. Decided by
 * code as well as status, so a remote peer's 409 and a hosted recipient's refusal read alike.
 */
export function isRetryableRefusal(status: number, code: string): boolean {
  return isRetryableStatus(status) || code === "CASE_CONFLICT";
}
