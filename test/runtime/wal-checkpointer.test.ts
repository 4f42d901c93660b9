import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startWalCheckpointer } from "../../src/runtime/wal-checkpointer.ts";

/** The WAL checkpoint worker must never hold up or crash a stopping gateway (issue 9 item 11). */
describe("startWalCheckpointer", () => {
  it("stops after its last checkpoint and closes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jiexu-wal-"));
    try {
      const db = new Database(join(dir, "x.db"));
      db.pragma("journal_mode = WAL");
      const checkpointer = startWalCheckpointer(db, join(dir, "x.db"), 50);
      db.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
      await checkpointer.stop();
      await checkpointer.stop(); // a second stop returns at once
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("survives a worker that fails, checkpointing inline again, and still stops (issue 9 item 11)", async () => {
    const pragmas: string[] = [];
    const sqlite = { pragma: (source: string) => void pragmas.push(source) };
    const checkpointer = startWalCheckpointer(sqlite, join(tmpdir(), "jiexu-no-such-dir", "nested", "x.db"), 50);
    await expect.poll(() => pragmas, { timeout: 20_000 }).toContain("wal_autocheckpoint = 1000");
    await checkpointer.stop();
    expect(pragmas[0]).toBe("wal_autocheckpoint = 0");
  });
});
