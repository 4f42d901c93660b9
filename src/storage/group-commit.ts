/**
 * Group commit: every `submit()` that arrives before the next flush joins one group, and the group is
 * made durable by one transaction (one fsync under synchronous=FULL) instead of one per call. The
 * runner reports an outcome per item, so a refused item rejects only its own promise.
 */

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface GroupCommitOptions {
  /** Flush at once when this many items wait (default 256: bounds how long one transaction blocks the event loop). */
  maxBatch?: number;
  /** Defers a flush; defaults to setImmediate, so everything queued during one event-loop turn groups. */
  schedule?: (flush: () => void) => void;
}

export interface GroupCommitStats {
  /** Transactions run (groups flushed). */
  groups: number;
  /** Items submitted and settled. */
  items: number;
  /** Items that were refused. */
  failed: number;
  /** Largest group so far. */
  largest: number;
}

export interface GroupCommitter<T, R> {
  submit(item: T): Promise<R>;
  /** Runs the waiting group now; a no-op when nothing waits. */
  flush(): void;
  /** Flushes what waits, then refuses new items with `closedError()`. */
  close(): void;
  readonly stats: Readonly<GroupCommitStats>;
}

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

const defaultSchedule = (flush: () => void): void => {
  if (typeof setImmediate === "function") setImmediate(flush);
  else setTimeout(flush, 0);
};

export function createGroupCommitter<T, R>(
  runGroup: (items: T[]) => Outcome<R>[],
  closedError: () => Error,
  options: GroupCommitOptions = {},
): GroupCommitter<T, R> {
  const maxBatch = options.maxBatch ?? 256;
  const schedule = options.schedule ?? defaultSchedule;
  const stats: GroupCommitStats = { groups: 0, items: 0, failed: 0, largest: 0 };
  let queue: Waiting<T, R>[] = [];
  let scheduled = false;
  let closed = false;

  function flush(): void {
    scheduled = false;
    if (queue.length === 0) return;
    const group = queue;
    queue = [];
    let outcomes: Outcome<R>[];
    try {
      outcomes = runGroup(group.map((w) => w.item));
    } catch (error) {
      // A runner that throws has written nothing it reports as done: refuse the whole group.
      outcomes = group.map(() => ({ ok: false, error }));
    }
    stats.groups++;
    stats.items += group.length;
    stats.largest = Math.max(stats.largest, group.length);
    group.forEach((w, i) => {
      const outcome = outcomes[i] ?? { ok: false, error: new Error("group runner returned no outcome") };
      if (outcome.ok) w.resolve(outcome.value);
      else {
        stats.failed++;
        w.reject(outcome.error);
      }
    });
  }

  function submit(item: T): Promise<R> {
    if (closed) return Promise.reject(closedError());
    return new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (queue.length >= maxBatch) flush();
      else if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    });
  }

  function close(): void {
    closed = true;
    flush();
  }

  return { submit, flush, close, stats };
}
