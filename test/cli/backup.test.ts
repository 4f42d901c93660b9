import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
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

describe("jiexu backup", () => {
  let dir: string;
  let live: string;
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
    const archive = { key: "archive-key.pem", origin: "jiexu.test/archive" };
    writeFileSync(config(), JSON.stringify({ dataDir: ".", database: "jiexu.db", archive, ...devPkiConfig(gw.pki) }));
    // The copy the tests of copies and restores start from.
    expect((await jiexu("backup", "create", "--out", join(dir, "copies", "first.db"), "--config", config())).code).toBe(
      0,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe("given a gateway's database with a change being written", () => {
    it("copies every committed change, those still in the WAL too, and none uncommitted, without waiting for the writer", async () => {
      const before = count(live, "audit_events");
      const committed = new Database(live);
      committed.pragma("wal_autocheckpoint = 0"); // its commit stays in the WAL while the copy is made
      committed.prepare("INSERT INTO audit_events (at, kind) VALUES ('2026-12-02T00:00:00Z', 'committed')").run();
      const writer = new Database(live);
      writer.exec(
        "BEGIN IMMEDIATE; INSERT INTO audit_events (at, kind) VALUES ('2026-12-02T00:00:00Z', 'uncommitted')",
      );
      expect(statSync(`${live}-wal`).size).toBeGreaterThan(0);
      const out = join(dir, "copies", "during-writes.db");
      const made = await jiexu("backup", "create", "--out", out, "--config", config(), "--json");
      writer.exec("COMMIT");
      writer.close();
      committed.close();

      expect(made.code).toBe(0);
      const report = JSON.parse(made.stdout) as BackupReport;
      expect(report).toMatchObject({
        ok: true,
        integrity: ["ok"],
        sha256: sha256(out),
        bytes: readFileSync(out).length,
      });
      expect(report.archive).toMatchObject({ size: leaves, checkpoint: { size: leaves }, problems: [] });
      expect(count(out, "audit_events")).toBe(before + 1);
      expect(count(live, "audit_events")).toBe(before + 2);
      expect(readdirSync(join(dir, "copies")).filter((f) => !f.endsWith(".db"))).toEqual([]); // no .partial left behind
    });

    it("names the copy by time in the data directory when no --out is given, and says it verified first", async () => {
      const made = await jiexu("backup", "create", "--config", config());
      expect(made.code).toBe(0);
      expect(made.stdout.split("\n")[0]).toMatch(/^✓ 备份已验证 VERIFIED — .*backups\/jiexu-\d{8}T\d{6}Z\.db$/);
      expect(made.stdout).toMatch(new RegExp(`archive {4}${leaves} leaves; newest checkpoint ${leaves} .* holds`));
      expect(readdirSync(join(dir, "backups"))).toHaveLength(1);
    });

    it("never overwrites a copy, and says so when it cannot write one (73)", async () => {
      const out = join(dir, "copies", "first.db");
      const digest = sha256(out);
      const again = await jiexu("backup", "create", "--out", out, "--config", config());
      expect(again.code).toBe(73);
      expect(again.stderr).toMatch(/BACKUP_EXISTS/);
      expect(sha256(out)).toBe(digest);
      const underAFile = await jiexu("backup", "create", "--out", join(out, "inside.db"), "--config", config());
      expect(underAFile.code).toBe(73);
      expect(underAFile.stderr).toMatch(/BACKUP_CANNOT_WRITE/);
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

    it("fails a copy whose stored tree no longer gives the signed root (ROOT_MISMATCH), whether at its top or one leaf's hash", async () => {
      for (const [name, change] of [
        ["top.db", "UPDATE archive_nodes SET hash = zeroblob(32) WHERE idx = 0"],
        ["leaf.db", "UPDATE archive_nodes SET hash = zeroblob(32) WHERE level = 0 AND idx = 1"],
      ]) {
        const tree = await jiexu("backup", "verify", alteredCopy(name!, change!), "--config", config(), "--json");
        expect(tree.code).toBe(1);
        expect((JSON.parse(tree.stdout) as BackupReport).archive.problems.map((p) => p.code)).toContain(
          "ROOT_MISMATCH",
        );
      }
    });

    it("fails a copy with leaves and no signed checkpoint (NO_CHECKPOINT)", async () => {
      const unsigned = await jiexu(
        "backup",
        "verify",
        alteredCopy("unsigned.db", "DELETE FROM checkpoints"),
        "--config",
        config(),
        "--json",
      );
      expect(unsigned.code).toBe(1);
      expect((JSON.parse(unsigned.stdout) as BackupReport).archive.problems.map((p) => p.code)).toEqual([
        "NO_CHECKPOINT",
      ]);
    });

    it("leaves an entry's metadata to --audit, which fails it", async () => {
      const altered = alteredCopy("meta.db", "UPDATE archive_leaves SET case_id = 'CASE-OTHER' WHERE idx = 1");
      expect((await jiexu("backup", "verify", altered, "--config", config())).code).toBe(0);
      const audited = await jiexu("backup", "verify", altered, "--audit", "--config", config(), "--json");
      expect(audited.code).toBe(1);
      expect((JSON.parse(audited.stdout) as BackupReport).audit?.ok).toBe(false);
    });

    it("fails a file that is not a database of this gateway", async () => {
      const other = join(dir, "other.db");
      new Database(other).exec("CREATE TABLE t (x)");
      const checked = await jiexu("backup", "verify", other, "--config", config(), "--json");
      expect(checked.code).toBe(1);
      expect((JSON.parse(checked.stdout) as BackupReport).integrity[0]).toMatch(/^SQLITE_/);
    });

    it("creates no checkpoint key where the configuration's is missing: an error (78), and a copy it could not check is not left under a backup's name", async () => {
      const elsewhere = join(dir, "elsewhere.json");
      const loaded = JSON.parse(readFileSync(config(), "utf8")) as { archive: { key: string } };
      loaded.archive.key = "missing-key.pem";
      writeFileSync(elsewhere, JSON.stringify(loaded));
      expect((await jiexu("backup", "verify", join(dir, "copies", "first.db"), "--config", elsewhere)).code).toBe(78);
      const out = join(dir, "unchecked", "copy.db");
      expect((await jiexu("backup", "create", "--out", out, "--config", elsewhere)).code).toBe(78);
      expect(readdirSync(join(dir, "unchecked"))).toEqual(["copy.db.unverified"]);
      expect(existsSync(join(dir, "missing-key.pem"))).toBe(false);
    });

    it("writes nothing into a database file in WAL mode it checks (its WAL is not folded in)", async () => {
      const wal = join(dir, "wal-mode.db");
      copyFileSync(join(dir, "copies", "first.db"), wal);
      const writer = new Database(wal);
      writer.pragma("journal_mode = WAL");
      writer.pragma("wal_autocheckpoint = 0");
      writer.prepare("INSERT INTO audit_events (at, kind) VALUES ('2026-12-02T00:00:00Z', 'in the WAL')").run();
      // A database with its WAL and nobody connected (a replaced database kept with its WAL, say).
      const kept = join(dir, "kept.db");
      copyFileSync(wal, kept);
      copyFileSync(`${wal}-wal`, `${kept}-wal`);
      writer.close();
      const [file, log] = [sha256(kept), sha256(`${kept}-wal`)];
      const checked = await jiexu("backup", "verify", kept, "--config", config(), "--json");
      expect([sha256(kept), sha256(`${kept}-wal`)]).toEqual([file, log]);
      expect(checked.code, checked.stdout).toBe(0);
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
    it("restores a verified copy in the database's place, a sound database of the copy's content, keeping the one it replaces", async () => {
      const copy = join(dir, "copies", "first.db");
      const liveCount = count(live, "audit_events");
      const restored = await jiexu("backup", "restore", copy, "--config", config(), "--json");
      expect(restored.code).toBe(0);
      const { replaced } = JSON.parse(restored.stdout) as { replaced: string };
      expect(sha256(live)).toBe(sha256(copy));
      expect(readdirSync(dir).filter((f) => /^jiexu\.db-(wal|shm)$/.test(f))).toEqual([]);
      expect(count(replaced, "audit_events")).toBe(liveCount);
      const gw = await createTestGateway({ databasePath: live });
      expect(await gw.deps.store.archive.size()).toBe(leaves);
      expect(count(live, "audit_events")).toBeLessThan(liveCount + 6);
      await gw.close();
    });

    it("refuses a copy that does not verify, or the database itself, and changes nothing", async () => {
      const digest = sha256(live);
      const altered = alteredCopy("refused.db", "UPDATE archive_nodes SET hash = zeroblob(32) WHERE idx = 0");
      expect((await jiexu("backup", "restore", altered, "--config", config())).code).toBe(1);
      const itself = await jiexu("backup", "restore", live, "--config", config());
      expect(itself.code).toBe(1);
      expect(itself.stderr).toMatch(/BACKUP_SAME_FILE/);
      expect(sha256(live)).toBe(digest);
    });
  });

  describe("given the database open elsewhere (a running gateway, wherever it listens)", () => {
    it("refuses to restore (BACKUP_DATABASE_IN_USE, 69), and changes nothing", async () => {
      // As a gateway holds it: in WAL mode (configureSqlite), read from its first request on.
      const holder = new Database(live);
      holder.pragma("journal_mode = WAL");
      holder.prepare("SELECT count(*) FROM cases").get();
      const digest = sha256(live);
      try {
        const refused = await jiexu("backup", "restore", join(dir, "copies", "first.db"), "--config", config());
        expect(refused.code).toBe(69);
        expect(refused.stderr).toMatch(/BACKUP_DATABASE_IN_USE/);
      } finally {
        holder.close();
      }
      expect(sha256(live)).toBe(digest);
      expect(readdirSync(dir).filter((f) => f.endsWith(".restoring"))).toEqual([]);
    });
  });
});
