import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackupReport } from "../../src/cli/commands/backup-report.ts";
import { exportNoteKeyPem } from "../../src/pki/note-signer.ts";
import { devPkiConfig } from "../../src/runtime/bootstrap.ts";
import { cutCheckpoint } from "../../src/usecases/index.ts";
import { writeDevPki } from "../fixtures/dev-pki.ts";
import { ARCHIVE_KEY, createTestGateway } from "../support/gateway-harness.ts";
import { walkTransfer } from "../support/transfer-walk.ts";
import { jiexu } from "./run-jiexu.ts";

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const count = (path: string, table: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** A port nothing listens on (taken and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("jiexu backup", () => {
  let dir: string;
  let live: string;
  let port: number;
  let leaves: number;
  const config = () => join(dir, "config.json");
  /** The first copy, changed by one SQL statement. */
  const alteredCopy = (name: string, change: string) => {
    const path = join(dir, name);
    copyFileSync(join(dir, "copies", "first.db"), path);
    const db = new Database(path);
    db.exec(change);
    db.close();
    return path;
  };

  // A walked transfer with a signed checkpoint in a SQLite file, and a configuration naming its checkpoint key.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jiexu-backup-cli-"));
    live = join(dir, "jiexu.db");
    const gw = await createTestGateway({ databasePath: live });
    await writeDevPki(gw.pki, join(dir, "pki"));
    await walkTransfer(gw);
    leaves = (await cutCheckpoint(gw.deps)).size;
    await gw.close();
    writeFileSync(join(dir, "archive-key.pem"), exportNoteKeyPem(ARCHIVE_KEY));
    port = await freePort();
    const archive = { key: "archive-key.pem", origin: "jiexu.test/archive" };
    writeFileSync(
      config(),
      JSON.stringify({ dataDir: ".", database: "jiexu.db", port, archive, ...devPkiConfig(gw.pki) }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe("given a gateway's database with a change being written", () => {
    it("copies every committed change and none uncommitted, without waiting for the writer, and verifies the copy", async () => {
      const writer = new Database(live);
      const before = count(live, "audit_events");
      writer.exec(
        "BEGIN IMMEDIATE; INSERT INTO audit_events (at, kind) VALUES ('2026-12-02T00:00:00Z', 'uncommitted')",
      );
      const out = join(dir, "copies", "first.db");
      const made = await jiexu("backup", "create", "--out", out, "--config", config(), "--json");
      writer.exec("COMMIT");
      writer.close();

      expect(made.code).toBe(0);
      const report = JSON.parse(made.stdout) as BackupReport;
      expect(report).toMatchObject({
        ok: true,
        integrity: ["ok"],
        sha256: sha256(out),
        bytes: readFileSync(out).length,
      });
      expect(report.archive).toMatchObject({ size: leaves, checkpoint: { size: leaves }, problems: [] });
      expect(count(out, "audit_events")).toBe(before);
      expect(count(live, "audit_events")).toBe(before + 1);
      expect(readdirSync(join(dir, "copies"))).toEqual(["first.db"]); // no .partial left behind
    });

    it("names the copy by time in the data directory when no --out is given, and says it verified first", async () => {
      const made = await jiexu("backup", "create", "--config", config());
      expect(made.code).toBe(0);
      expect(made.stdout.split("\n")[0]).toMatch(/^✓ 备份已验证 VERIFIED — .*backups\/jiexu-\d{8}T\d{6}Z\.db$/);
      expect(made.stdout).toMatch(new RegExp(`archive {4}${leaves} leaves; newest checkpoint ${leaves} .* holds`));
      expect(readdirSync(join(dir, "backups"))).toHaveLength(1);
    });

    it("never overwrites a copy", async () => {
      const out = join(dir, "copies", "first.db");
      const digest = sha256(out);
      const again = await jiexu("backup", "create", "--out", out, "--config", config());
      expect(again.code).toBe(73);
      expect(sha256(out)).toBe(digest);
    });
  });

  describe("given a copy", () => {
    it("verifies it, with the whole 四性 audit on request, and changes nothing in it", async () => {
      const copy = join(dir, "copies", "first.db");
      const digest = sha256(copy);
      const checked = await jiexu("backup", "verify", copy, "--audit", "--config", config());
      expect(checked.code).toBe(0);
      expect(checked.stdout).toMatch(/^✓ 备份已验证 VERIFIED/);
      expect(checked.stdout).toMatch(/四性/);
      expect(sha256(copy)).toBe(digest);
      expect(existsSync(`${copy}-wal`)).toBe(false);
    });

    it("fails a copy whose stored tree no longer gives the signed root (ROOT_MISMATCH)", async () => {
      const altered = alteredCopy("altered.db", "UPDATE archive_nodes SET hash = zeroblob(32) WHERE idx = 0");
      const tree = await jiexu("backup", "verify", altered, "--config", config(), "--json");
      expect(tree.code).toBe(1);
      expect((JSON.parse(tree.stdout) as BackupReport).archive.problems.map((p) => p.code)).toContain("ROOT_MISMATCH");
    });

    it("fails, with --audit, a copy changed below the subtrees the root is read from (one leaf's stored hash)", async () => {
      const altered = alteredCopy(
        "leaf.db",
        "UPDATE archive_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 1",
      );
      expect((await jiexu("backup", "verify", altered, "--config", config())).code).toBe(0);
      const audited = await jiexu("backup", "verify", altered, "--audit", "--config", config(), "--json");
      expect(audited.code).toBe(1);
      const report = JSON.parse(audited.stdout) as BackupReport;
      expect(report.audit?.ok).toBe(false);
      expect(JSON.stringify(report.audit)).toMatch(/NODE_MISMATCH/);
    });

    it("fails a copy whose pages are damaged (SQLite's integrity check)", async () => {
      const damaged = join(dir, "damaged.db");
      const bytes = readFileSync(join(dir, "copies", "first.db"));
      bytes.fill(0x5a, 8192, 12288); // the third page
      writeFileSync(damaged, bytes);
      const pages = await jiexu("backup", "verify", damaged, "--config", config(), "--json");
      expect(pages.code).toBe(1);
      expect((JSON.parse(pages.stdout) as BackupReport).integrity).not.toEqual(["ok"]);
    });
  });

  describe("given the gateway stopped", () => {
    it("restores a verified copy in the database's place and keeps the database it replaces", async () => {
      const copy = join(dir, "copies", "first.db");
      const liveDigest = sha256(live);
      const restored = await jiexu("backup", "restore", copy, "--config", config());
      expect(restored.code).toBe(0);
      expect(sha256(live)).toBe(sha256(copy));
      const kept = readdirSync(dir).filter((f) => f.startsWith("jiexu.db.replaced-"));
      expect(kept.filter((f) => f.endsWith(".db") || /Z$/.test(f)).map((f) => sha256(join(dir, f)))).toEqual([
        liveDigest,
      ]);
    });

    it("refuses a copy that does not verify, and changes nothing", async () => {
      const digest = sha256(live);
      expect((await jiexu("backup", "restore", join(dir, "altered.db"), "--config", config())).code).toBe(1);
      expect(sha256(live)).toBe(digest);
    });
  });

  describe("given a gateway answering on the configured port", () => {
    let server: Server;
    beforeAll(async () => {
      server = createServer((_, res) => res.end("ok"));
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it("refuses to restore (BACKUP_GATEWAY_RUNNING), and changes nothing", async () => {
      const digest = sha256(live);
      const refused = await jiexu("backup", "restore", join(dir, "copies", "first.db"), "--config", config());
      expect(refused.code).toBe(69);
      expect(refused.stderr).toMatch(/BACKUP_GATEWAY_RUNNING/);
      expect(sha256(live)).toBe(digest);
    });
  });
});
