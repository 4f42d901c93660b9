import { isRetryableStatus } from "../domain/delivery/backoff.ts";
import {
  createBreakerBook,
  type BreakerBook,
  type BreakerConfig,
  type BreakerState,
  type BreakerView,
} from "../domain/delivery/breaker.ts";
import type { Clock, Logger, Metrics, PeerTransport, TransportOutcome } from "../usecases/index.ts";
import { statusOfCode } from "../http/errors.ts";
import { outcomeOfError, outcomeOfResponse, readLimited, TimeoutAbort } from "./http-outcome.ts";

/**
 * The transport to peer gateways (issue 5 item 2): POST the exact sealed-document bytes to
 * `<gateway URL>/v1/exchange` and turn whatever happens into a coded `TransportOutcome`.
 *
 * - A per-peer circuit breaker (src/domain/delivery/breaker.ts) short-circuits sends to a peer
 *   that keeps failing: `unreachable` "circuit open", with no network traffic, until a single
 *   half-open probe shows the peer is back.
 * - A per-peer semaphore bounds concurrent sends; excess callers wait their turn (FIFO). The breaker
 *   is asked again after the wait, so a queue built up behind a dead peer drains without traffic.
 * - A timeout (after the request may have been sent) or a reset mid-response is `uncertain`, never
 *   a failed delivery: the dispatcher re-sends the same bytes and the receiver's idempotency answers
 *   the original receipt. For the breaker it is a failure exactly like a refusal (`unreachable`):
 *   only a receipt or a final refusal shows the peer is up (issue 9 item 8). phase4 answers a 502
 *   with NO_SIGNAL and no retry (docs/references.md "Lessons from eDelivery and X-Road"); here 5xx, 408,
 *   425 and 429 are `rejected` with their status, which the dispatcher retries.
 *
 * Peers are keyed by agency id. Breaker time comes from the injected clock; the request timeout is
 * real time (it bounds real sockets).
 */

/** Where an agency's gateway is, or why it cannot be reached (a directory error: expired, not listed, …). */
export type PeerRoute = { url: string } | { error: { code: string; message: string; retryable?: boolean } };

export interface HttpTransportOptions {
  routeFor(agencyId: string, now: Date): PeerRoute;
  clock: Clock;
  breaker?: Partial<BreakerConfig>;
  /** Concurrent sends to one peer (default DEFAULT_MAX_CONCURRENT_PER_PEER). */
  maxConcurrentPerPeer?: number;
  /** Whole-request timeout: connect, send, response and body (default 15 s). */
  timeoutMs?: number;
  /** Largest response body read (default 1 MiB): a receipt is a few KB. */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
  metrics?: Metrics;
  logger?: Logger;
}

export interface HttpTransport extends PeerTransport {
  /** Every peer's breaker now, for /metrics and operators. */
  breakers(): BreakerView[];
  breakerState(agencyId: string): BreakerState;
  /** Sends in flight and callers waiting for a slot, per peer. */
  load(agencyId: string): { active: number; waiting: number };
}

/** As the dispatcher's lanes: a hung peer's timeouts fire together, one breaker threshold's worth. */
export const DEFAULT_MAX_CONCURRENT_PER_PEER = 4;

/**
 * Route codes the edge's map (src/http/errors.ts) does not know that clear up without touching the
 * document (a new directory is loaded). DIRECTORY_EXPIRED and DIRECTORY_MISSING are 503 in that map.
 */
const RETRYABLE_ROUTE_CODES = new Set(["DIRECTORY_UNAVAILABLE"]);

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const book: BreakerBook = createBreakerBook(options.breaker);
  const limit = options.maxConcurrentPerPeer ?? DEFAULT_MAX_CONCURRENT_PER_PEER;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("maxConcurrentPerPeer must be an integer ≥ 1");
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  const doFetch = options.fetch ?? globalThis.fetch;
  const semaphores = new Map<string, Semaphore>();
  const semaphore = (peer: string) => semaphores.get(peer) ?? semaphores.set(peer, createSemaphore(limit)).get(peer)!;
  const nowMs = () => options.clock.now().getTime();
  const count = (peer: string, outcome: string) => options.metrics?.count("jiexu_peer_sends_total", { peer, outcome });

  const report = (peer: string, ok: boolean) => {
    const at = nowMs();
    const before = book.state(peer, at);
    const after = ok ? book.onSuccess(peer, at) : book.onFailure(peer, at);
    if (after === before) return;
    options.metrics?.count("jiexu_peer_breaker_transitions_total", { peer, to: after });
    if (after === "closed") options.logger?.info("peer.breaker-closed", { peer, from: before });
    else options.logger?.warn("peer.breaker-open", { peer, from: before });
  };

  const send = async (peer: string, url: string, bytes: Uint8Array): Promise<TransportOutcome> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutAbort(timeoutMs)), timeoutMs);
    const started = performance.now();
    let phase: "request" | "response" = "request";
    try {
      const res = await doFetch(peerEndpoint(url, "/v1/exchange"), {
        method: "POST",
        body: new Uint8Array(bytes),
        signal: controller.signal,
        redirect: "manual",
        headers: { "content-type": "application/json", accept: "application/json" },
      });
      phase = "response";
      const body = await readLimited(res, maxResponseBytes);
      return outcomeOfResponse(res.status, body);
    } catch (err) {
      return outcomeOfError(err, phase, controller.signal.aborted ? controller.signal.reason : undefined);
    } finally {
      clearTimeout(timer);
      options.metrics?.observe("jiexu_peer_send_seconds", { peer }, (performance.now() - started) / 1000);
    }
  };

  return {
    async deliver(to, sealedDocument) {
      let route: PeerRoute;
      try {
        route = options.routeFor(to, options.clock.now());
      } catch (err) {
        const code =
          typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : "ROUTE_UNAVAILABLE";
        route = { error: { code, message: (err as Error)?.message ?? String(err) } };
      }
      if ("error" in route) {
        count(to, "no-route");
        return {
          kind: "rejected",
          status: routeStatus(route.error),
          code: route.error.code,
          message: route.error.message,
        };
      }
      if (book.state(to, nowMs()) === "open") return shortCircuit(to);
      const release = await semaphore(to).acquire();
      try {
        if (!book.canAttempt(to, nowMs())) return shortCircuit(to);
        const outcome = await send(to, route.url, sealedDocument);
        const peerUp =
          outcome.kind === "receipt" || (outcome.kind === "rejected" && !isRetryableStatus(outcome.status));
        report(to, peerUp);
        count(to, outcome.kind === "rejected" && !peerUp ? "retryable" : outcome.kind);
        return outcome;
      } finally {
        release();
      }
    },
    breakers: () => book.snapshot(nowMs()),
    breakerState: (agencyId) => book.state(agencyId, nowMs()),
    load: (agencyId) => semaphores.get(agencyId)?.load() ?? { active: 0, waiting: 0 },
  };

  function shortCircuit(peer: string): TransportOutcome {
    count(peer, "short-circuit");
    return { kind: "unreachable", message: "circuit open" };
  }
}

/**
 * A route refusal's status: 503 or 422 when the route says whether it is retryable, else the edge's status
 * for a code it knows (DIRECTORY_EXPIRED 503, RECIPIENT_UNKNOWN 422), else 503 for directory trouble, 422.
 */
function routeStatus(error: { code: string; retryable?: boolean }): number {
  if (error.retryable !== undefined) return error.retryable ? 503 : 422;
  return statusOfCode(error.code) ?? (RETRYABLE_ROUTE_CODES.has(error.code) ? 503 : 422);
}

/**
 * A peer gateway's endpoint under its directory-listed base URL, which may carry a path prefix
 * (`https://host/jiexu`: the directory schema allows one): the path is appended, never resolved from the root.
 */
export function peerEndpoint(base: string, path: `/${string}`): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

interface Semaphore {
  /** Resolves with a release function once a slot is free; release is idempotent. */
  acquire(): Promise<() => void>;
  load(): { active: number; waiting: number };
}

function createSemaphore(limit: number): Semaphore {
  let active = 0;
  const waiting: (() => void)[] = [];
  const grant = (): (() => void) => {
    active += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active -= 1;
      waiting.shift()?.();
    };
  };
  return {
    acquire: () =>
      active < limit ? Promise.resolve(grant()) : new Promise((resolve) => waiting.push(() => resolve(grant()))),
    load: () => ({ active, waiting: waiting.length }),
  };
}
