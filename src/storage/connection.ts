import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { schema } from "./schema.ts";

/**
 * The better-sqlite3 `Database`, named through drizzle's driver types: storage may import only
 * drizzle-orm (test/architecture.test.ts), so runtime/node.ts opens the file and hands it in.
 */
export type SqliteClient = ReturnType<typeof drizzle>["$client"];

/** The drizzle handle every storage module shares. */
export type SqliteDb = ReturnType<typeof openDrizzle>;

/** drizzle-kit output, found next to this file rather than under the process's cwd. */
export const MIGRATIONS_FOLDER = decodeURIComponent(new URL("../../drizzle", import.meta.url).pathname);

export function openDrizzle(sqlite: SqliteClient) {
  return drizzle({ client: sqlite, schema });
}

/**
 * Durability and concurrency pragmas. WAL lets readers proceed during a write; `synchronous=FULL`
 * fsyncs the WAL at every COMMIT, so a resolved commit survives power loss (group commit pays that
 * fsync once per batch). `busy_timeout` covers a second process (CLI) holding the write lock.
 * `temp_store=MEMORY`: the statement and savepoint sub-journals of a group commit (one savepoint per change)
 * stay in memory instead of spilling to temporary files — they are never needed after a crash (the WAL is),
 * so this costs no durability (issue 12 item 1; measured in `npm run bench -- ingest`).
 * `journal_size_limit`: SQLite starts the WAL over only once a checkpoint has caught up with it (under sustained
 * ingest the gateway's checkpointer thread catches up on purpose: runtime/wal-checkpointer.ts), and with the
 * limit it also cuts the file back to it then, at the first commit after the restart — so neither a burst nor
 * a long load keeps the WAL's peak size on disk (docs/ingest-performance.md).
 */
export function configureSqlite(
  sqlite: SqliteClient,
  options: { busyTimeoutMs?: number; walSizeLimitBytes?: number } = {},
): void {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma(`journal_size_limit = ${Math.trunc(options.walSizeLimitBytes ?? WAL_SIZE_LIMIT_BYTES)}`);
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
}

/** What the WAL file is cut back to once SQLite starts it over (64 MiB). */
export const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Applies the committed drizzle-kit migrations (idempotent; a few ms when up to date). */
export function migrateSqlite(sqlite: SqliteClient, migrationsFolder: string = MIGRATIONS_FOLDER): void {
  migrate(openDrizzle(sqlite), { migrationsFolder });
}
