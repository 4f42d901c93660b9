import "reflect-metadata";
import { createApp } from "../http/app.ts";
import { tokenHash } from "../http/auth.ts";
import { createMetricsRegistry } from "../http/metrics.ts";
import { rfc6962Hasher } from "../pki/index.ts";
import { type BlobStore, createD1Store, type D1Database } from "../storage/d1-store.ts";
import { cutCheckpoint, sendDeadlineReminders } from "../usecases/index.ts";
import { jsonLogger, systemClock, uuidIds } from "./basics.ts";
import { appDepsOf, buildGateway, type Gateway } from "./compose.ts";
import { readWorkerSettings, type WorkerConfigEnv } from "./worker-config.ts";

/** The bindings wrangler.toml declares, plus the config var and secrets (worker-config.ts). */
export interface WorkerEnv extends WorkerConfigEnv {
  DB: D1Database;
  /** Optional R2 bucket for document bytes too large for a D1 row; without it such documents are refused. */
  SEALED?: BlobStore;
}

/** The part of Workers' ExecutionContext the entry uses (the full types redefine Node's globals). */
export interface WorkerContext {
  waitUntil(work: Promise<unknown>): void;
}

interface Composed {
  gateway: Gateway;
  fetch: (request: Request) => Response | Promise<Response>;
}

let composing: Promise<Composed> | undefined;

/**
 * The Workers composition root (issue 14 item 1): the same buildGateway and createApp as on Node, over the
 * D1 store, composed once per isolate on its first event. No printer (printing answers PRINT_UNAVAILABLE)
 * and no signed directory yet: a Worker hosts its agencies and delivers among them.
 */
function composed(env: WorkerEnv): Promise<Composed> {
  composing ??= compose(env).catch((err: unknown) => {
    composing = undefined; // a fixed secret is picked up by the next event, not after a redeploy
    throw err;
  });
  return composing;
}

async function compose(env: WorkerEnv): Promise<Composed> {
  const { config, materials, tokens } = await readWorkerSettings(env);
  const logger = jsonLogger((line) => console.log(line));
  const metrics = createMetricsRegistry();
  const store = createD1Store(env.DB, { archiveHasher: rfc6962Hasher, blobs: env.SEALED });
  const gateway = buildGateway(materials, {
    store,
    clock: systemClock,
    ids: uuidIds,
    random: Math.random,
    logger,
    metrics,
  });
  // Upserts: every isolate provisions the same rows.
  for (const t of tokens)
    await store.saveToken(await tokenHash(t.token), t.principal, `worker token ${t.principal.tokenId}`);
  const app = createApp(appDepsOf(gateway, config, metrics, logger));
  return { gateway, fetch: (request) => app.fetch(request) };
}

async function fetchHandler(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
  let gw: Composed;
  try {
    gw = await composed(env);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", event: "worker.compose-error", message: (err as Error).message }));
    return Response.json({ code: "INTERNAL", message: "the gateway is not configured" }, { status: 500 });
  }
  const response = await gw.fetch(request);
  // A request that queued deliveries kicked the dispatcher (deps.onQueued); keep the isolate alive until
  // those sends have their outcomes. idle() is resolved at once otherwise: no D1 read per request.
  ctx.waitUntil(gw.gateway.dispatcher.idle());
  return response;
}

/**
 * The cron trigger (every minute): what Node's timers do, one pass each — deliveries due, a checkpoint
 * over new leaves, deadline reminders. Node's start-up recovery of `sending` rows is not run here: with
 * several isolates a `sending` row may be another isolate's send in flight (it needs an age bound first).
 */
async function scheduledHandler(_controller: unknown, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
  const { gateway } = await composed(env);
  const logger = gateway.deps.logger;
  const pass = async (event: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      logger.error(event, { message: (err as Error).message });
    }
  };
  const run = (async () => {
    await pass("dispatch.error", () => gateway.dispatcher.runOnce());
    await pass("archive.checkpoint-error", () => cutCheckpoint(gateway.deps));
    await pass("reminders.error", () => sendDeadlineReminders(gateway.deps));
  })();
  ctx.waitUntil(run);
  await run;
}

export default { fetch: fetchHandler, scheduled: scheduledHandler };
