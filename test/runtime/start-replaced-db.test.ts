import Database from "better-sqlite3";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway } from "../../src/runtime/node.ts";
import { tempDir } from "../fixtures/openssl.ts";

/**
 * `jiexu backup restore` renames a copy over the database while holding it locked. A gateway whose start opened
 * the file before the rename would go on with the replaced file on its read connection and the copy on its writer
 * thread's: the start refuses instead.
 */
describe("a gateway start whose database file is replaced while it opens it", () => {
  const dataDir = tempDir("jiexu-replaced-");
  let configPath: string;
  beforeAll(async () => {
    await (await startGateway({ dataDir, port: 0, timers: false, log: () => {} })).close();
    // Without development first-run work, the start opens the database before its first wait.
    configPath = join(dataDir, "production-like.json");
    const config = JSON.parse(readFileSync(join(dataDir, "config.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, development: false }));
  }, 60_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("refuses to start (ConfigError naming the file) and leaves both files whole", async () => {
    const db = join(dataDir, "jiexu.db");
    const copy = join(dataDir, "copy.db");
    new Database(db, { readonly: true }).prepare("VACUUM INTO ?").run(copy);
    const starting = startGateway({ configPath, port: 0, timers: false, log: () => {} });
    renameSync(copy, db); // as restore does, while the start waits for its writer thread
    await expect(starting).rejects.toMatchObject({
      name: "ConfigError",
      message: expect.stringContaining("was replaced"),
    });
    const check = new Database(db, { readonly: true });
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    check.close();
  });
});
