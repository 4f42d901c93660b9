import { dispatchDelivery, type DispatchDeps } from "./dispatch.ts";
import { type DeliveryRecord, DUE_STATES, type OutboxReads } from "../ports.ts";

/**
 * The outbox dispatcher (issue 9 item 8): one lane per peer (a peer agency, or a webhook URL), each
 * with its own bound on attempts in flight, under one overall bound. A peer that accepts connections
 * and never answers holds only its own lane until the transport's timeout; every other peer's
 * deliveries go out on their own schedule, and new work for them is picked up meanwhile. The old
 * dispatcher awaited whole passes, so one hung peer delayed everyone's next attempt by 15 s.
 *
 * The store stays the queue. A scan reads due deliveries (oldest first) into short per-lane queues
 * in memory and starts what the bounds allow; a finished attempt starts its lane's next one, and
 * asks for another scan once its lane is empty (new deliveries ask by themselves, `onQueued`).
 * Nothing is sent twice at once: an id is held from the scan that queued it until its outcome is
 * committed, and is read again just before it is marked `sending` (an operator may have cancelled
 * it while it waited). Durability is dispatch.ts's: marked `sending`
 * before the request, the outcome committed after, so a crash loses nothing held in memory here.
 */

export interface DispatchLimits {
  /** Attempts in flight to one peer agency or one webhook URL (the HTTP transport's own per-peer bound is 4 too). */
  perPeer: number;
  /** Attempts in flight over all peers. */
  total: number;
  /** Due deliveries a scan reads beyond those already queued here. */
  scanBatch: number;
  /** Deliveries queued in memory per lane; more stay in the store until a later scan. */
  queuePerPeer: number;
  /** Ceiling of a scan: pages full of work for saturated peers double the batch up to this. */
  maxScan: number;
}

export const DEFAULT_DISPATCH_LIMITS: DispatchLimits = {
  perPeer: 4,
  total: 32,
  scanBatch: 64,
  queuePerPeer: 16,
  maxScan: 2048,
};

export interface OutboxDispatcher {
  /** Look for due deliveries now; a kick during a scan makes exactly one more scan. */
  kick(): void;
  /** Scan, and resolve once everything due (and whatever that made due) has its outcome committed. */
  runOnce(): Promise<void>;
  /** Resolves once no scan runs and no attempt is in flight. */
  idle(): Promise<void>;
  /** Start nothing new; resolves once the attempts in flight have committed their outcomes. */
  stop(): Promise<void>;
  /** Attempts in flight and deliveries queued here, overall and per lane. */
  load(): DispatchLoad;
}

export interface DispatchLoad {
  active: number;
  queued: number;
  lanes: Record<string, { active: number; queued: number }>;
}

interface Lane {
  active: number;
  queue: DeliveryRecord[];
}

/** Documents are laned by peer agency (the breaker's key too), webhooks by URL. */
export function laneKey(delivery: Pick<DeliveryRecord, "kind" | "target">): string {
  return `${delivery.kind}:${delivery.target}`;
}

export function createOutboxDispatcher(
  deps: DispatchDeps & { store: OutboxReads },
  limits: Partial<DispatchLimits> = {},
): OutboxDispatcher {
  const l = checkLimits({ ...DEFAULT_DISPATCH_LIMITS, ...limits });
  const lanes = new Map<string, Lane>();
  const held = new Set<string>();
  let active = 0;
  let batch = l.scanBatch;
  let scanning: Promise<void> | undefined;
  let rescan = false;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const isIdle = () => !scanning && active === 0;
  const queued = () => {
    let n = 0;
    for (const lane of lanes.values()) n += lane.queue.length;
    return n;
  };
  const settle = () => {
    if (!isIdle()) return;
    const ready = waiters;
    waiters = [];
    for (const resolve of ready) resolve();
  };
  const idle = () => (isIdle() ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));

  function kick(): void {
    if (stopped) return;
    if (scanning) {
      rescan = true;
      return;
    }
    rescan = false;
    scanning = scan()
      .catch((err: Error) => deps.logger.error("dispatch.error", { message: err.message }))
      .finally(() => {
        scanning = undefined;
        if (rescan) kick();
        else settle();
      });
  }

  async function scan(): Promise<void> {
    const limit = Math.min(l.maxScan, batch + queued());
    const due = await deps.store.dueDeliveries(deps.clock.now().toISOString(), limit);
    if (stopped) return;
    let overflow = false;
    for (const delivery of due) {
      if (held.has(delivery.id)) continue;
      const key = laneKey(delivery);
      const lane = lanes.get(key) ?? lanes.set(key, { active: 0, queue: [] }).get(key)!;
      if (lane.queue.length >= l.queuePerPeer) {
        overflow = true;
        continue;
      }
      lane.queue.push(delivery);
      held.add(delivery.id);
    }
    // A page filled by saturated peers may hide other peers' work behind it: read further, at once.
    const widen = overflow && due.length === limit && limit < l.maxScan;
    batch = widen ? Math.min(l.maxScan, batch * 2) : overflow ? batch : l.scanBatch;
    if (widen) rescan = true;
    pump();
  }

  /** Start what the bounds allow, one per lane per round, so the overall bound is shared fairly. */
  function pump(): void {
    let started = true;
    while (started && !stopped && active < l.total) {
      started = false;
      for (const [key, lane] of [...lanes]) {
        if (active >= l.total) break;
        if (lane.queue.length === 0 || lane.active >= l.perPeer) continue;
        start(key, lane, lane.queue.shift()!);
        started = true;
      }
    }
  }

  function start(key: string, lane: Lane, delivery: DeliveryRecord): void {
    lane.active += 1;
    active += 1;
    void attempt(delivery).finally(() => {
      lane.active -= 1;
      active -= 1;
      held.delete(delivery.id);
      if (lane.active === 0 && lane.queue.length === 0) lanes.delete(key);
      pump();
      // An emptied lane may have more due in the store (beyond its queue, or this attempt's own retry).
      if (lane.queue.length === 0) kick();
      settle();
    });
  }

  async function attempt(waited: DeliveryRecord): Promise<void> {
    try {
      const current = await deps.store.getDelivery(waited.id);
      if (!current || !DUE_STATES.includes(current.state)) return;
      await dispatchDelivery(deps, current);
    } catch (err) {
      deps.logger.error("dispatch.error", { deliveryId: waited.id, message: (err as Error).message });
    }
  }

  return {
    kick,
    runOnce: () => {
      kick();
      return idle();
    },
    idle,
    stop: () => {
      stopped = true;
      for (const lane of lanes.values()) for (const d of lane.queue.splice(0)) held.delete(d.id);
      return idle();
    },
    load: () => ({
      active,
      queued: queued(),
      lanes: Object.fromEntries(
        [...lanes].map(([key, lane]) => [key, { active: lane.active, queued: lane.queue.length }]),
      ),
    }),
  };
}

function checkLimits(l: DispatchLimits): DispatchLimits {
  for (const [name, value] of Object.entries(l)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`dispatch limit ${name} must be an integer ≥ 1`);
  }
  if (l.maxScan < l.scanBatch) throw new RangeError("dispatch limit maxScan must be ≥ scanBatch");
  return l;
}
