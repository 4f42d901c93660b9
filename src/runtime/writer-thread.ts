import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { GroupCommitStats } from "../storage/group-commit.ts";
import type { Committed } from "../storage/group-runner.ts";
import type { StoreWriter } from "../storage/sqlite-store.ts";
import { unavailable } from "../storage/errors.ts";
import { commitMessage, decodeOutcome, type FromWriter, type ToWriter } from "../storage/writer-protocol.ts";
import type { StateChange } from "../usecases/ports.ts";
import type { WriterData } from "./writer-worker.ts";

/**
 * The disk off the event loop (issue 12 item 2): commit groups run in a worker thread that owns the
 * write connection (writer-worker.ts), and the gateway thread keeps a read connection (WAL lets it read
 * while a group commits). A commit resolves when the worker reports its group committed — after the
 * fsync — so a receipt still leaves only once its change is durable. If the worker dies, every commit
 * in flight and every later one fails with STORE_UNAVAILABLE: nothing is acknowledged that was not
 * reported committed (fail closed); a restart recovers from the database, as after a crash.
 *
 * The worker is TypeScript: it registers tsx itself before importing its code, the same under
 * `npm start` (already under tsx), the bench (`--import tsx`) and vitest (whose transform a worker
 * does not inherit).
 */
export type WriterThread = StoreWriter & {
  /** Ends the thread at once, as a crash would: what it has not reported committed is refused (tests). */
  kill(): Promise<void>;
  /** `PRAGMA wal_autocheckpoint` on the write connection: the WAL checkpointer's fallback (wal-checkpointer.ts). */
  pragma(source: string): void;
};

export async function startWriterThread(data: WriterData): Promise<WriterThread> {
  const worker = new Worker(bootScript(), {
    eval: true,
    workerData: data,
    // A 96 MB young generation is the thread's equivalent of the gateway's --max-semi-space-size=32
    // (bin/jiexu.js): two 32 MB semi-spaces, half the scavenges of the default under ingest.
    resourceLimits: { maxYoungGenerationSizeMb: 96 },
  });
  const pending = new Map<number, { resolve: (value: Committed) => void; reject: (error: unknown) => void }>();
  const stats: GroupCommitStats = { groups: 0, items: 0, failed: 0, largest: 0 };
  let nextId = 0;
  let closed = false;
  let failure: Error | undefined;

  // Ref'd only while commits wait, so an idle gateway can exit but a pending commit keeps it alive; once closing,
  // ref'd until the worker exits (an acknowledgement arriving during close must not let the loop run empty, or
  // the awaiting stop would be left unsettled and the process exit 13).
  const settle = () => (pending.size === 0 && !closed ? worker.unref() : undefined);
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  const ready = new Promise<void>((resolve, reject) => {
    worker.on("message", (message: FromWriter) => {
      if (message.type === "ready") resolve();
      if (message.type !== "done") return;
      stats.groups++;
      stats.items += message.ids.length;
      stats.largest = Math.max(stats.largest, message.ids.length);
      message.ids.forEach((id, i) => {
        const waiting = pending.get(id);
        pending.delete(id);
        const outcome = decodeOutcome(message.outcomes[i]!);
        if (outcome.ok) waiting?.resolve(outcome.value);
        else {
          stats.failed++;
          waiting?.reject(outcome.error);
        }
      });
      settle();
    });
    worker.on("error", (error) => {
      reject(error);
      fail(unavailable(`the writer thread failed: ${error.message}`, error));
    });
  });
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", (code) => {
      fail(unavailable(closed ? "the store is closed" : `the writer thread exited (code ${code})`));
      resolve();
    }),
  );
  await Promise.race([ready, exited.then(() => Promise.reject(failure))]);
  settle();

  const send = (message: ToWriter) => worker.postMessage(message);
  return {
    commit: (change: StateChange) => {
      if (closed) return Promise.reject(unavailable("the store is closed"));
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<Committed>((resolve, reject) => {
        // A change that cannot be cloned is a bug of the caller: refused here, nothing sent.
        send(commitMessage(id, change));
        pending.set(id, { resolve, reject });
        worker.ref();
      });
    },
    // The close message queues behind every commit sent, so the worker commits them all before it exits.
    close: async () => {
      if (closed) return exited;
      closed = true;
      if (!failure) {
        worker.ref();
        send({ type: "close" });
      }
      await exited;
    },
    stats: () => ({ ...stats }),
    pragma: (source: string) => {
      const pages = /^wal_autocheckpoint = (\d+)$/.exec(source)?.[1];
      if (pages === undefined) throw new Error(`the writer thread takes only wal_autocheckpoint, not ${source}`);
      if (!closed && !failure) send({ type: "autocheckpoint", pages: Number(pages) });
    },
    kill: async () => {
      await worker.terminate();
      await exited;
    },
  };
}

/**
 * The worker's first code: register tsx, then import writer-worker.ts. Under the test suite, the prebuilt plain-JS
 * writer-worker.mjs when JIEXU_TEST_BUILD names one (test/support/prebuilt.ts): a thread then starts in about
 * half the CPU, without tsx's hooks thread.
 */
function bootScript(): string {
  const prebuilt = process.env.JIEXU_TEST_BUILD;
  if (prebuilt) return `import(${JSON.stringify(pathToFileURL(`${prebuilt}/writer-worker.mjs`).href)})`;
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve("tsx/package.json").replace(/package\.json$/, "dist/esm/api/index.mjs"));
  const entry = new URL("./writer-worker.ts", import.meta.url);
  return `import(${JSON.stringify(tsx.href)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
}
