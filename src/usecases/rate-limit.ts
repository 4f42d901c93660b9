import { GatewayError } from "./errors.ts";

/**
 * Token buckets keyed by a name (issue 9 item 2; shared by the archive's witness guard and the public
 * tracking page, issue 13): each key holds up to `burst` tokens and regains
 * `perSecond` of them per second; a request takes one. Time is an argument (milliseconds), so the
 * caller's injected clock drives it and tests move it by hand.
 */
export interface RateLimit {
  burst: number;
  perSecond: number;
}

export interface TokenBuckets {
  /** Take a token of `key` at `nowMs`: 0 when granted, otherwise whole seconds until one is available. */
  take(key: string, nowMs: number): number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/**
 * `maxKeys` bounds memory whatever keys callers pass: when it is reached, buckets that have refilled
 * completely are forgotten (they behave exactly like a new one); if none has, the oldest goes.
 */
export function createTokenBuckets(limit: RateLimit, maxKeys = 1024): TokenBuckets {
  const buckets = new Map<string, Bucket>();

  const refilled = (b: Bucket, nowMs: number): number =>
    Math.min(limit.burst, b.tokens + (Math.max(0, nowMs - b.atMs) / 1000) * limit.perSecond);

  const makeRoom = (nowMs: number): void => {
    for (const [key, b] of buckets) if (refilled(b, nowMs) >= limit.burst) buckets.delete(key);
    if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
  };

  return {
    take(key, nowMs) {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) makeRoom(nowMs);
        bucket = { tokens: limit.burst, atMs: nowMs };
        buckets.set(key, bucket);
      }
      bucket.tokens = refilled(bucket, nowMs);
      bucket.atMs = Math.max(bucket.atMs, nowMs);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    },
  };
}

/**
 * A limiter for one kind of public request: one bucket set per gateway (keyed by its deps object, so two
 * gateways in one process never share counts), each call taking a token of `key` at the deps' clock or
 * throwing RATE_LIMITED. The counts live in this process: N gateway processes allow N times the rate.
 */
export function createKeyedLimiter(
  limit: RateLimit,
  what: string,
  maxKeys = 4096,
): (deps: { clock: { now(): Date } }, key: string) => void {
  const perGateway = new WeakMap<object, TokenBuckets>();
  return (deps, key) => {
    let buckets = perGateway.get(deps);
    if (!buckets) perGateway.set(deps, (buckets = createTokenBuckets(limit, maxKeys)));
    const wait = buckets.take(key, deps.clock.now().getTime());
    if (wait) throw new RateLimitedError(wait, `too many ${what}: retry in ${wait} s`);
  };
}

/** A refusal for now: the caller may come back after `retryAfterSeconds` (the HTTP edge sends Retry-After). */
export class RateLimitedError extends GatewayError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super("RATE_LIMITED", message);
  }
}
