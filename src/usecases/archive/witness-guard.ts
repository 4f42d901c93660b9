import type { GatewayDeps } from "../deps.ts";
import { GatewayError, type GatewayErrorCode } from "../errors.ts";
import type { Committer } from "../ports.ts";
import { createTokenBuckets, RateLimitedError, type RateLimit } from "../rate-limit.ts";

/**
 * The witness route is public (issue 9 item 2): these limits keep a caller from exhausting it or the
 * tables behind it. A peer's own bucket is charged only for offers its pinned key signed, so a forger
 * cannot drain it; every refused offer (unknown origin, unpinned key, malformed note) shares one
 * global bucket; refusals are audited at a bounded rate, the ones left out counted in the next event.
 */
export interface WitnessLimits {
  /** Checkpoints signed by a pinned key, per peer origin (gateways offer one per witness interval). */
  perPeer: RateLimit;
  /** Refused offers, all callers together. */
  refused: RateLimit;
  /** Audit events (and warnings) about refused offers. */
  audit: RateLimit;
}

export { RateLimitedError };

export const DEFAULT_WITNESS_LIMITS: WitnessLimits = {
  perPeer: { burst: 10, perSecond: 1 },
  refused: { burst: 30, perSecond: 2 },
  audit: { burst: 10, perSecond: 1 / 60 },
};

export interface WitnessGuard {
  /** Charge an offer signed by `origin`'s pinned key; throws RateLimitedError over the peer's limit. */
  admitSigned(origin: string): void;
  /**
   * Refuse an offer: RateLimitedError over the global limit, otherwise `code` — audited (as
   * `security.witness-refused`) within the audit budget when `audit` is set.
   */
  refuse(
    code: GatewayErrorCode,
    message: string,
    context: { origin?: string; requestId?: string; audit: boolean },
  ): Promise<never>;
}

const ORIGIN_SHOWN = 128;
/** What a guard touches: the clock its buckets refill by, and the audit trail of refusals. */
export type GuardDeps = Pick<GatewayDeps, "clock" | "logger"> & { store: Committer };

const guards = new WeakMap<GuardDeps, WitnessGuard>();

/** The guard of this gateway (one per deps, made on first use with the gateway's clock). */
export function witnessGuardOf(deps: GuardDeps): WitnessGuard {
  let guard = guards.get(deps);
  if (!guard) guards.set(deps, (guard = createWitnessGuard(deps, DEFAULT_WITNESS_LIMITS)));
  return guard;
}

export function createWitnessGuard(deps: GuardDeps, limits: WitnessLimits): WitnessGuard {
  const peers = createTokenBuckets(limits.perPeer);
  const refused = createTokenBuckets(limits.refused, 1);
  const audit = createTokenBuckets(limits.audit, 1);
  let suppressed = 0;
  const nowMs = () => deps.clock.now().getTime();

  return {
    admitSigned(origin) {
      const wait = peers.take(origin, nowMs());
      if (wait) throw new RateLimitedError(wait, `too many checkpoints from ${origin}: retry in ${wait} s`);
    },
    async refuse(code, message, context) {
      const wait = refused.take("*", nowMs());
      if (wait) throw new RateLimitedError(wait, `too many refused checkpoint offers: retry in ${wait} s`);
      if (context.audit) await record(code, context);
      throw new GatewayError(code, message);
    },
  };

  async function record(code: GatewayErrorCode, context: { origin?: string; requestId?: string }): Promise<void> {
    if (audit.take("*", nowMs()) > 0) {
      suppressed++;
      return;
    }
    const origin = context.origin?.slice(0, ORIGIN_SHOWN);
    const detail = {
      code,
      ...(origin !== undefined ? { origin } : {}),
      ...(suppressed ? { suppressedSinceLast: suppressed } : {}),
    };
    suppressed = 0;
    await deps.store.commit({
      audit: [
        {
          at: deps.clock.now().toISOString(),
          kind: "security.witness-refused",
          ...(context.requestId ? { requestId: context.requestId } : {}),
          detail,
        },
      ],
    });
    deps.logger.warn("security.witness-refused", detail);
  }
}
