import "reflect-metadata";
import Database from "better-sqlite3";
import { existsSync, mkdirSync, statSync } from "node:fs";
import type { Server } from "node:http";
import { join, resolve } from "node:path";
import { createApp } from "../http/app.ts";
import { createExchangePath } from "../http/exchange-path.ts";
import { createMetricsRegistry } from "../http/metrics.ts";
import { configureSqlite, migrateSqlite } from "../storage/connection.ts";
import { createSqliteStore } from "../storage/sqlite-store.ts";
import {
  cutCheckpoint,
  exchangeCheckpoints,
  recoverInterruptedSends,
  secondsToCrlUpdate,
  sendDeadlineReminders,
} from "../usecases/index.ts";
import { rfc6962Hasher } from "../pki/index.ts";
import { directoryPeers } from "./peer-witness.ts";
import { jsonLogger, systemClock, uuidIds } from "./basics.ts";
import { bootstrapDevelopment } from "./bootstrap.ts";
import { ConfigError } from "./config.ts";
import { appDepsOf, buildGateway, type Gateway } from "./compose.ts";
import { loadMaterials, nodeDirectorySource, readConfigFile, resolvePath } from "./load-config.ts";
import { peerPortsOf, remoteFromDirectory, type DirectoryRemote } from "./remote.ts";
import { ensureDevTokens } from "./tokens.ts";
import { startWalCheckpointer } from "./wal-checkpointer.ts";
import { startWriterThread } from "./writer-thread.ts";
import { listenHttp } from "./http-server.ts";
import { createLazyNodePrinter } from "./lazy-printer.ts";
import { drainable } from "./http-drain.ts";
import { refreshDevelopmentCrls } from "./dev-crls.ts";

export interface StartOptions {
  /** Config file; without one, `<dataDir>/config.json` is used and created on first run (development). */
  configPath?: string;
  dataDir?: string;
  port?: number;
  host?: string;
  /** Start timers (dispatcher); tests can turn them off and drive the dispatcher by hand. */
  timers?: boolean;
  log?: (line: string) => void;
}

export interface RunningGateway {
  url: string;
  gateway: Gateway;
  tokens?: Record<string, string>;
  development: boolean;
  /** Where the database (and, in development, the PKI and tokens) live. */
  dataDir: string;
  /** Graceful stop: no new requests, in-flight commits finish, the database closes. */
  close(): Promise<void>;
}

/**
 * The Node composition root (docs/architecture.md "Composition roots"): better-sqlite3 store, Hono on
 * @hono/node-server, a dispatch timer.
 */
export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const dataDir = resolve(options.dataDir ?? "data");
  const configPath = options.configPath ?? (await bootstrapDevelopment(dataDir, systemClock.now()));
  const loaded = readConfigFile(configPath);
  const { config } = loaded;
  const logger = jsonLogger(options.log);
  if (config.development) {
    const refreshed = await refreshDevelopmentCrls(resolvePath(loaded, "pki"), systemClock.now());
    if (refreshed.length) logger.info("dev-pki.crls-refreshed", { crls: refreshed });
  }
  const dbDir = resolvePath(loaded, config.dataDir);
  mkdirSync(dbDir, { recursive: true });
  const dbPath = join(dbDir, config.database);
  const opened = fileIdentity(dbPath);
  const sqlite = new Database(dbPath);
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  // Commit groups run in their own thread (issue 12 item 2); this connection serves the reads. Its
  // code loads while the key material does.
  const [materials, writer] = await Promise.all([
    loadMaterials(loaded),
    startWriterThread({ path: dbPath, autoCheckpoint: false }),
  ]);
  // `jiexu backup restore` renames a copy over the database while holding it locked: a start that opened the file
  // before and waited for the lock would otherwise go on with the replaced file, and the writer with the copy.
  if (opened !== undefined && fileIdentity(dbPath) !== opened) {
    await writer.close();
    sqlite.close();
    throw new ConfigError(`${dbPath} was replaced while the gateway opened it (a restore?): start it again`);
  }
  // The writer's connection is the one that would checkpoint inside a COMMIT; the checkpointer's fallback goes there.
  const walCheckpointer = startWalCheckpointer(writer, dbPath);
  sqlite.pragma("wal_autocheckpoint = 0"); // this one commits only token rows, never a checkpoint on the event loop
  const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher, writer });
  const metrics = createMetricsRegistry();
  let directory: DirectoryRemote | undefined;
  const source = config.directory && nodeDirectorySource(loaded, config.directory);
  const gateway = buildGateway(materials, {
    store,
    clock: systemClock,
    ids: uuidIds,
    random: Math.random,
    logger,
    metrics,
    webhooks: { post: postWebhook },
    ...(source
      ? {
          remote: remoteFromDirectory(
            source,
            {
              clock: systemClock,
              logger,
              metrics,
              ...peerPortsOf(config),
            },
            (d) => (directory = d),
          ),
        }
      : {}),
    // Witnessing trusts only the checkpoint keys the signed directory pins for peers (issue 9 item 2).
    peerLogs: { pinnedKeys: (origin, at) => directory?.holder.pinnedCheckpointKeys(origin, at) },
    // The common font cut is made once and cached with the data (issue 13 item 2).
    printer: createLazyNodePrinter(join(dbDir, "cache"), (event, fields) => logger.warn(event, fields)),
    directory: { current: () => directory?.holder.current() },
  });
  await directory?.refresh();
  metrics.gauge(
    "jiexu_peer_breakers_open",
    "Peers whose circuit breaker is open",
    () => directory?.transport.breakers().filter((b) => b.state === "open").length ?? 0,
  );
  metrics.gauge("jiexu_outbox_depth", "Deliveries queued, retrying or uncertain", () => store.outboxDepth());
  metrics.gauge(
    "jiexu_crl_next_update_seconds",
    "Seconds until the earliest CRL's next update; past it (negative), seals chained to its issuer wait (TRY_LATER)",
    () => secondsToCrlUpdate(gateway.deps),
  );
  const tokens = config.development
    ? await ensureDevTokens(store, gateway.deps.agencies.hostedIds(), join(dbDir, "dev-tokens.json"))
    : undefined;
  const recovered = await recoverInterruptedSends(gateway.deps);
  if (recovered) logger.warn("dispatch.recovered", { deliveries: recovered });

  const appDeps = appDepsOf(gateway, config, metrics, logger);
  const server = await listenHttp(createApp(appDeps).fetch, {
    port: options.port ?? config.port,
    hostname: options.host ?? config.host,
    server: config.server,
    exchange: createExchangePath(appDeps),
  }).catch(async (err: unknown) => {
    // Not listening (a busy port, issue 15 item 4): let go of the database and the writer thread, or the
    // process would stay alive after the CLI reported the error.
    await store.close();
    await walCheckpointer.stop();
    throw err;
  });
  const drain = drainable(server as Server);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  // Timer work in flight is awaited on close, so nothing writes to a closed database.
  const background = new Set<Promise<unknown>>();
  const track = (work: () => Promise<unknown>) => {
    const running = work().finally(() => background.delete(running));
    background.add(running);
    return running;
  };
  const timers =
    options.timers === false
      ? []
      : [
          setInterval(() => gateway.dispatcher.kick(), config.dispatchIntervalMs),
          setInterval(() => void remind(), config.reminderIntervalMs),
          setInterval(() => void checkpoint(), config.archive.checkpointSeconds * 1000),
          setInterval(() => void witness(), config.archive.witnessSeconds * 1000),
          ...(directory && config.directory
            ? [setInterval(() => void track(() => directory!.refresh()), config.directory.refreshSeconds * 1000)]
            : []),
        ];
  // Checkpoints every few seconds (only when leaves were appended) and offered to peers for co-signing.
  const checkpoint = () =>
    track(() => cutCheckpoint(gateway.deps)).catch((err: Error) =>
      logger.error("archive.checkpoint-error", { message: err.message }),
    );
  const peers = directoryPeers(directory, gateway.deps.agencies.hostedIds());
  const witness = () =>
    track(() => exchangeCheckpoints(gateway.deps, peers)).catch((err: Error) =>
      logger.error("archive.witness-error", { message: err.message }),
    );
  // One pass at a time (a pass over a backlog may outlast the interval), without the Workers' query bound.
  let reminding: Promise<unknown> | undefined;
  const remind = () => {
    reminding ??= track(() => sendDeadlineReminders(gateway.deps, { maxQueries: Number.POSITIVE_INFINITY }))
      .catch((err: Error) => logger.error("reminders.error", { message: err.message }))
      .finally(() => {
        reminding = undefined;
      });
    return reminding;
  };
  for (const t of timers) t.unref();
  if (options.timers !== false) {
    gateway.dispatcher.kick();
    void remind();
  }
  let closing: Promise<void> | undefined;
  return {
    url: `http://${options.host ?? config.host}:${port}`,
    gateway,
    ...(tokens ? { tokens } : {}),
    development: config.development,
    dataDir: dbDir,
    close: () =>
      (closing ??= (async () => {
        // Bounded (issue 9 item 11): requests in flight get STOP_GRACE_MS, sends in flight their peer
        // timeout, timer work its own; a send cut short is `sending`, re-sent as `uncertain` on restart.
        const started = performance.now();
        for (const t of timers) clearInterval(t);
        const [{ cut }] = await Promise.all([drain.close(), gateway.dispatcher.stop()]);
        await Promise.allSettled([...background]);
        await store.close();
        await walCheckpointer.stop();
        logger.info("gateway.stopped", {
          ms: Math.round(performance.now() - started),
          commits: store.stats(),
          ...(cut ? { connectionsCut: true } : {}),
        });
      })()),
  };
}

async function postWebhook(url: string, body: string, signature: string) {
  try {
    const res = await fetch(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "x-jiexu-signature": signature },
      signal: AbortSignal.timeout(10_000),
    });
    return { ok: res.ok, status: res.status };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** The file a path names now (device and inode), or undefined where there is none yet. */
function fileIdentity(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const { dev, ino } = statSync(path);
  return `${dev}:${ino}`;
}
