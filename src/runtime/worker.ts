import "reflect-metadata";
import { createApp } from "../http/app.ts";
import { tokenHash } from "../http/auth.ts";
import { createMetricsRegistry } from "../http/metrics.ts";
import { rfc6962Hasher } from "../pki/index.ts";
import { type BlobStore, createD1Store, type D1Database } from "../storage/d1-store.ts";
import {
  createOutboxDispatcher,
  cutCheckpoint,
  exchangeCheckpoints,
  recoverInterruptedSends,
  sendDeadlineReminders,
} from "../usecases/index.ts";
import { jsonLogger, systemClock, uuidIds } from "./basics.ts";
import { appDepsOf, buildGateway, type Gateway } from "./compose.ts";
import { directoryPeers } from "./peer-witness.ts";
import { peerPortsOf, remoteFromDirectory, type DirectoryRemote } from "./remote.ts";
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
  /** The signed directory's holder and HTTP transport to remote agencies, when one is configured. */
  directory?: DirectoryRemote;
}

/**
 * A send `sending` for longer than this was cut off (its isolate evicted: a waitUntil gets 30 s after the
 * response, a peer request at most 15 s): the cron pass re-sends it as `uncertain`. Younger ones may be
 * another isolate's send still in flight.
 */
const STALE_SEND_MS = 5 * 60_000;

let ready: Composed | undefined;

/**
 * The Workers composition root (issue 14 item 1): the same buildGateway and createApp as on Node, over the
 * D1 store, composed once per isolate on its first event. No printer (printing answers PRINT_UNAVAILABLE).
 * Remote agencies are reached through the signed directory, loaded here and refreshed on each cron pass.
 */
async function composed(env: WorkerEnv): Promise<Composed> {
  if (ready) return ready;
  // Each event that finds none composes its own (never awaiting another event's composition: workerd would
  // cancel it as hung); the first to finish is kept. A failed one is not kept: a fixed secret is picked up
  // by the next event, not after a redeploy. Token rows are upserts, so two compositions write the same.
  const mine = await compose(env);
  ready ??= mine;
  return ready;
}

async function compose(env: WorkerEnv): Promise<Composed> {
  const settings = await readWorkerSettings(env);
  const { config, materials, tokens } = settings;
  const logger = jsonLogger((line) => console.log(line));
  const metrics = createMetricsRegistry();
  const store = createD1Store(env.DB, { archiveHasher: rfc6962Hasher, blobs: env.SEALED, serializeCommits: false });
  let directory: DirectoryRemote | undefined;
  const source = settings.directory;
  const gateway = buildGateway(materials, {
    store,
    clock: systemClock,
    ids: uuidIds,
    random: Math.random,
    logger,
    metrics,
    ...(source
      ? {
          remote: remoteFromDirectory(
            source,
            {
              clock: systemClock,
              logger,
              metrics,
              ...peerPortsOf(config),
              // No isolate-wide send queue (see dispatchPass): each event's dispatcher bounds its own lanes.
              maxConcurrentPerPeer: Number.MAX_SAFE_INTEGER,
            },
            (d) => (directory = d),
          ),
        }
      : {}),
    // Witnessing trusts only the checkpoint keys the signed directory pins for peers (issue 9 item 2).
    peerLogs: { pinnedKeys: (origin, at) => directory?.holder.pinnedCheckpointKeys(origin, at) },
    directory: { current: () => directory?.holder.current() },
  });
  await directory?.refresh();
  gateway.deps.onQueued = undefined; // sends run per event (dispatchPass), never from an isolate-wide dispatcher
  // Upserts: every isolate provisions the same rows.
  for (const t of tokens)
    await store.saveToken(await tokenHash(t.token), t.principal, `worker token ${t.principal.tokenId}`);
  const app = createApp(appDepsOf(gateway, config, metrics, logger));
  return { gateway, fetch: (request) => app.fetch(request), ...(directory ? { directory } : {}) };
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
  // Only an accepted write can queue a delivery: send what is due now, the isolate kept alive until the sends
  // have their outcomes. A read or a refused request costs no D1 scan (an unauthenticated flood stays cheap).
  if (request.method === "POST" && response.status < 400) ctx.waitUntil(dispatchPass(gw.gateway));
  return response;
}

/**
 * One dispatcher pass owned by the event that runs it. workerd cancels a request awaiting a promise that
 * another request's I/O settles (as "hung"), so the isolate shares no dispatcher, lane or send slot across
 * events (the same holds for the D1 commit chain: serializeCommits off). Two events may pick the same due
 * delivery; the second send is a replay the receiver answers with its first receipt.
 */
function dispatchPass(gateway: Gateway): Promise<void> {
  return createOutboxDispatcher(gateway.deps)
    .runOnce()
    .catch((err: Error) => gateway.deps.logger.error("dispatch.error", { message: err.message }));
}

/**
 * The cron trigger (every minute): what Node's timers do, one pass each — the directory fetched again,
 * sends cut off by an evicted isolate recovered, deliveries due, a checkpoint over new leaves offered to the
 * peers for co-signing, deadline reminders. One failing step is logged and does not stop the others.
 */
async function scheduledHandler(_controller: unknown, env: WorkerEnv, ctx: WorkerContext): Promise<void> {
  const { gateway, directory } = await composed(env);
  const { deps } = gateway;
  const pass = async (event: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      deps.logger.error(event, { message: (err as Error).message });
    }
  };
  const peers = directoryPeers(directory, deps.agencies.hostedIds());
  const run = (async () => {
    if (directory) await pass("directory.refresh-error", () => directory.refresh());
    await pass("dispatch.recover-error", async () => {
      const staleBefore = new Date(deps.clock.now().getTime() - STALE_SEND_MS);
      const recovered = await recoverInterruptedSends(deps, { staleBefore });
      if (recovered) deps.logger.warn("dispatch.recovered", { deliveries: recovered });
    });
    await dispatchPass(gateway);
    await pass("archive.checkpoint-error", () => cutCheckpoint(deps));
    await pass("archive.witness-error", () => exchangeCheckpoints(deps, peers));
    await pass("reminders.error", () => sendDeadlineReminders(deps));
  })();
  ctx.waitUntil(run);
  await run;
}

export default { fetch: fetchHandler, scheduled: scheduledHandler };
