import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { WAL_SIZE_LIMIT_BYTES } from "../storage/connection.ts";

/**
 * WAL checkpoints off the event loop. With `synchronous=FULL` the connection that crosses the
 * auto-checkpoint threshold copies the WAL into the database and fsyncs it inside its COMMIT — a
 * stall of hundreds of milliseconds for every request waiting on that group when ingest writes
 * ~20 KB per document. The gateway's connection turns auto-checkpointing off, and a worker thread
 * with its own connection runs PASSIVE checkpoints (which never block the writer) on a timer.
 *
 * Catching up bounds the WAL under sustained load. SQLite starts the log over only when a write
 * transaction begins with every frame already copied back; one pass every half second never gets
 * there while groups keep committing (each pass ends with new frames behind it), so the WAL grew by
 * tens of MB/s for as long as the load lasted (docs/ingest-performance.md). Once it holds more than
 * `catchUpBytes`, passes follow each other 1 ms apart: each copies only what the last left, until one
 * finishes in a pause between commit groups and the next group restarts the log (cut back to
 * `journal_size_limit`, connection.ts). The passes stay PASSIVE — the writer never waits for them —
 * and a large WAL in which nothing moves (an idle gateway, or a long read holding a pass back) is left
 * to the timer.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
const catchUpFrames = workerData.catchUpBytes / (db.pragma("page_size", { simple: true }) + 24);
let last = { log: -1, checkpointed: -1 };
let movedAt = 0;
let timer;
const pass = () => {
  let catchUp = false;
  try {
    const [now] = db.pragma("wal_checkpoint(PASSIVE)");
    if (now.log !== last.log || now.checkpointed !== last.checkpointed) movedAt = Date.now();
    last = now;
    // Only while something moved within an interval: groups commit every few ms under load, while an idle
    // gateway's WAL, or one a long read holds back, waits for the timer.
    catchUp = now.log > catchUpFrames && Date.now() - movedAt < workerData.intervalMs;
  } catch {}
  timer = setTimeout(pass, catchUp ? 1 : workerData.intervalMs);
};
timer = setTimeout(pass, workerData.intervalMs);
parentPort.on("message", () => { clearTimeout(timer); try { db.pragma("wal_checkpoint(PASSIVE)"); db.close(); } catch {} process.exit(0); });
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  /** Between passes while the WAL is small or idle (default 500 ms). */
  intervalMs?: number;
  /** The WAL size beyond which passes run back to back until the log starts over (default half the WAL limit). */
  catchUpBytes?: number;
  /** How long `stop` waits for the last pass before it terminates the thread (default 5 s). */
  stopTimeoutMs?: number;
}

export function startWalCheckpointer(
  sqlite: { pragma(source: string): unknown },
  path: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const { intervalMs = 500, catchUpBytes = WAL_SIZE_LIMIT_BYTES / 2, stopTimeoutMs = 5_000 } = options;
  sqlite.pragma("wal_autocheckpoint = 0");
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, catchUpBytes, driver } });
  worker.unref();
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  // A worker that fails must neither crash the gateway nor leave the WAL growing: checkpoint inline again.
  worker.on("error", () => {
    try {
      sqlite.pragma("wal_autocheckpoint = 1000");
    } catch {
      /* the connection is already closed */
    }
  });
  return {
    stop: async () => {
      if (exited) return;
      // Keep the process alive until the worker's last checkpoint and close are done — within a bound.
      worker.ref();
      worker.postMessage("stop");
      const timer = setTimeout(() => void worker.terminate(), stopTimeoutMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
