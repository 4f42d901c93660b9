import "reflect-metadata";
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadNoteKeyPem, rfc6962Hasher } from "../pki/index.ts";
import { configureSqlite, migrateSqlite } from "../storage/connection.ts";
import { createSqliteStore } from "../storage/sqlite-store.ts";
import type { Logger, Metrics } from "../usecases/index.ts";
import { silentLogger, systemClock, uuidIds } from "./basics.ts";
import { buildGateway, type Gateway } from "./compose.ts";
import { ConfigError } from "./config.ts";
import { configPathOf, databasePathOf, loadMaterials, readConfigFile } from "./load-config.ts";

export interface OpenOptions {
  /** The gateway's config file (as for `jiexu serve`); default `<dataDir>/config.json`. */
  configPath?: string;
  dataDir?: string;
  /** The checkpoint key (Ed25519 PKCS#8 PEM) and log origin, when the configuration does not name them. */
  archiveKey?: { path: string; origin: string };
  /** Another database file than the configured one (a backup copy), with the configuration's keys. */
  databasePath?: string;
  /** Nothing written: a read-only connection, no migration, no checkpoint key created. */
  readOnly?: boolean;
  logger?: Logger;
}

export interface OpenedGateway {
  gateway: Gateway;
  /** SQLite's own check of every page and index (`PRAGMA integrity_check`): `["ok"]` when sound. */
  integrityCheck(): string[];
  close(): Promise<void>;
}

const noMetrics: Metrics = { count() {}, observe() {} };

/**
 * The gateway's composition without its HTTP server, timers or peer transport: for operator commands
 * (`jiexu archive export|audit`) that read the same configuration and database as `jiexu serve`, and
 * may run beside it (SQLite WAL; the only write they make is a checkpoint row). Never bootstraps:
 * the configuration and the database must already exist.
 */
export async function openGateway(options: OpenOptions = {}): Promise<OpenedGateway> {
  const loaded = readConfigFile(configPathOf(options));
  const dbPath = options.databasePath ? resolve(options.databasePath) : databasePathOf(loaded);
  if (!existsSync(dbPath)) throw new ConfigError(`no database at ${dbPath}`);
  // Read-only opened so even closing writes nothing (a read-write connection would fold a WAL into the file).
  const sqlite = new Database(dbPath, { fileMustExist: true, readonly: options.readOnly === true });
  let store: ReturnType<typeof createSqliteStore>;
  let materials: Awaited<ReturnType<typeof loadMaterials>>;
  try {
    if (!options.readOnly) {
      configureSqlite(sqlite);
      migrateSqlite(sqlite);
    }
    store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
    materials = await loadMaterials(loaded, { createArchiveKey: !options.readOnly });
  } catch (err) {
    // A file that is not a sound database (a damaged copy) or a configuration that does not load: nothing stays open.
    sqlite.close();
    throw err;
  }
  if (options.archiveKey) {
    materials.archiveKey = {
      privateKey: loadNoteKeyPem(readFileSync(resolve(options.archiveKey.path))),
      origin: options.archiveKey.origin,
    };
  }
  const gateway = buildGateway(materials, {
    store,
    clock: systemClock,
    ids: uuidIds,
    random: Math.random,
    logger: options.logger ?? silentLogger,
    metrics: noMetrics,
  });
  return {
    gateway,
    integrityCheck: () =>
      (sqlite.pragma("integrity_check") as { integrity_check: string }[]).map((r) => r.integrity_check),
    close: async () => {
      await gateway.dispatcher.stop();
      await store.close();
    },
  };
}
