import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * WAL checkpoints off the event loop. With `synchronous=FULL` the connection that crosses the
 * auto-checkpoint threshold copies the WAL into the database and fsyncs it inside its COMMIT — a
 * stall of hundreds of milliseconds for every request waiting on that group when ingest writes
 * ~20 KB per document. The gateway's connection turns auto-checkpointing off, and a worker thread
 * with its own connection runs PASSIVE checkpoints (which never block the writer) on a timer.
 */
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} }, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); try { db.pragma("wal_checkpoint(PASSIVE)"); db.close(); } catch {} process.exit(0); });
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export function startWalCheckpointer(
  sqlite: { pragma(source: string): unknown },
  path: string,
  intervalMs = 500,
  stopTimeoutMs = 5_000,
): WalCheckpointer {
  sqlite.pragma("wal_autocheckpoint = 0");
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { path, intervalMs, driver } });
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
