import Database from "better-sqlite3";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configureSqlite, WAL_SIZE_LIMIT_BYTES } from "../../src/storage/connection.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database file in a fresh directory, configured as the gateway configures its connections. */
function openDatabase(options: Parameters<typeof configureSqlite>[1] = {}) {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-wal-"));
  dirs.push(dir);
  const path = join(dir, "jiexu.db");
  const sqlite = new Database(path);
  configureSqlite(sqlite, options);
  sqlite.pragma("wal_autocheckpoint = 0"); // as the gateway's writer: checkpoints come from elsewhere
  sqlite.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
  return { sqlite, walPath: `${path}-wal` };
}

/** `count` transactions of `rows` rows of 4 KB each: a burst that grows the WAL by about count × rows × 4 KB. */
function burst(sqlite: Database.Database, count: number, rows = 16): void {
  const insert = sqlite.prepare("INSERT INTO t (payload) VALUES (randomblob(4000))");
  const group = sqlite.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run();
  });
  for (let i = 0; i < count; i++) group();
}

describe("configureSqlite: the WAL after a burst", () => {
  it("cuts the WAL back to its limit once a checkpoint has caught up and the next commit starts it over", () => {
    const limit = 256 * 1024;
    const { sqlite, walPath } = openDatabase({ walSizeLimitBytes: limit });
    burst(sqlite, 40); // ≈ 2.6 MB of WAL, no checkpoint meanwhile
    const peak = statSync(walPath).size;
    expect(peak).toBeGreaterThan(8 * limit);

    // The lull: a PASSIVE pass (the checkpointer thread's) copies every frame back; the file keeps its size.
    const [pass] = sqlite.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    expect(pass).toMatchObject({ busy: 0, checkpointed: pass!.log });
    expect(statSync(walPath).size).toBe(peak);

    // The next commit writes from the WAL's start and cuts the file back to the limit.
    burst(sqlite, 1, 1);
    expect(statSync(walPath).size).toBeLessThanOrEqual(limit);
    expect(sqlite.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 40 * 16 + 1 });
    sqlite.close();
  });

  it("leaves a WAL under load alone: without a checkpoint that caught up, it is not started over", () => {
    const limit = 256 * 1024;
    const { sqlite, walPath } = openDatabase({ walSizeLimitBytes: limit });
    burst(sqlite, 20);
    const before = statSync(walPath).size;
    burst(sqlite, 1, 1);
    expect(statSync(walPath).size).toBeGreaterThanOrEqual(before);
    sqlite.close();
  });

  it("limits the gateway's WAL to 64 MiB unless told otherwise", () => {
    const { sqlite } = openDatabase();
    expect(sqlite.pragma("journal_size_limit", { simple: true })).toBe(WAL_SIZE_LIMIT_BYTES);
    expect(WAL_SIZE_LIMIT_BYTES).toBe(64 * 1024 * 1024);
    sqlite.close();
  });
});
