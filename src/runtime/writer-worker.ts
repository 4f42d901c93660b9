import "reflect-metadata";
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { rfc6962Hasher } from "../pki/index.ts";
import { configureSqlite } from "../storage/connection.ts";
import { createGroupRunner } from "../storage/group-runner.ts";
import { encodeOutcome, type FromWriter, type ToWriter } from "../storage/writer-protocol.ts";
import type { StateChange } from "../usecases/ports.ts";

/**
 * The writer thread's code (started by writer-thread.ts): it owns the gateway's only write connection,
 * and with it the archive log's frontier, and runs the commit groups the gateway thread used to run
 * itself. Every change that arrives while a group commits waits in the port and joins the next group,
 * so grouping still follows the load: one IMMEDIATE transaction and one fsync per group.
 */
export interface WriterData {
  path: string;
  busyTimeoutMs?: number;
  /** Bounds one transaction (as GroupCommitOptions.maxBatch did on the gateway thread). */
  maxBatch?: number;
  /** False when a WAL checkpointer thread runs beside: this connection must not checkpoint inside a COMMIT. */
  autoCheckpoint?: boolean;
  /** How long a group waits for company once its first change arrives (default 4 ms; 0: the next turn). */
  gatherMs?: number;
}

if (!parentPort) throw new Error("writer-worker.ts runs only as a worker thread");
const port = parentPort;
const data = workerData as WriterData;
const sqlite = new Database(data.path);
configureSqlite(sqlite, data.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: data.busyTimeoutMs });
if (data.autoCheckpoint === false) sqlite.pragma("wal_autocheckpoint = 0");
const runner = createGroupRunner(sqlite, rfc6962Hasher);
const maxBatch = data.maxBatch ?? 256;
// 4 ms, measured (`npm run bench -- ingest`, alternating 2 and 4): groups of ≈ 12 changes at 2 ms grew, the
// CPU per document fell ≈ 15 % on both threads (fewer WAL pages and fsyncs per change, fewer acknowledgement
// messages and bigger corked answer batches on the gateway thread), and docs/s rose with it; p50 fell with the
// rate (64 connections: Little's law).
const gatherMs = data.gatherMs ?? 4;

let queue: { id: number; change: StateChange }[] = [];
let scheduled = false;
let closing = false;
const post = (message: FromWriter) => port.postMessage(message);

function flush(): void {
  scheduled = false;
  while (queue.length) {
    const group = queue.slice(0, maxBatch);
    queue = queue.slice(maxBatch);
    const outcomes = runner.run(group.map((w) => w.change));
    // Posted only now, after COMMIT returned: the gateway thread acknowledges nothing earlier.
    post({ type: "done", ids: group.map((w) => w.id), outcomes: outcomes.map(encodeOutcome) });
  }
  if (closing) {
    sqlite.close();
    post({ type: "closed" });
    port.close();
  }
}

port.on("message", (message: ToWriter) => {
  if (message.type === "autocheckpoint") {
    sqlite.pragma(`wal_autocheckpoint = ${Math.trunc(message.pages)}`);
    return;
  }
  if (message.type === "commit") queue.push(message);
  else closing = true;
  // A group gathers briefly before it commits (PostgreSQL's commit_delay): the gateway thread is not blocked
  // while a group commits, so changes arrive one by one, and a group started at the first would carry a handful.
  // Always, not only under load (commit_siblings): a variant that skipped the wait after a lone change measured
  // lower (1,216–1,662 docs/s against 1,523–1,792 in the same hour), so a quiet gateway's answer waits 4 ms.
  if (!scheduled) {
    scheduled = true;
    if (gatherMs > 0 && !closing) setTimeout(flush, gatherMs);
    else setImmediate(flush);
  }
});
post({ type: "ready" });
