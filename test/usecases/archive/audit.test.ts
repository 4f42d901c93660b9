import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditArchive, runAudit, type AuditReport } from "../../../src/usecases/archive/audit.ts";
import { isEntryHead, referencedKey } from "../../../src/usecases/archive/entry-refs.ts";
import { cutCheckpoint } from "../../../src/usecases/archive/log.ts";
import { registerApplication, submitDocument } from "../../../src/usecases/index.ts";
import { createTestGateway, type TestGateway } from "../../support/gateway-harness.ts";
import { walkTransfer } from "../../support/transfer-walk.ts";

const failuresOf = (r: AuditReport) => r.items.flatMap((i) => i.failures.map((f) => ({ item: i.id, ...f })));

describe("the integrity audit (四性检测)", () => {
  let dir: string;
  let gw: TestGateway;
  let db: Database.Database;
  let firstCheckpoint: number;

  // Expensive and shared: a walked transfer in a SQLite file. A test that alters a stored byte or row
  // puts it back before it ends (withFlipped, try/finally), so every test sees the untouched archive.
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "jiexu-audit-"));
    gw = await createTestGateway({ databasePath: join(dir, "jiexu.db") });
    await registerApplication(gw.deps, gw.principal("330000"), {
      caseId: "CASE-AUDIT-EARLY",
      transferOutAgency: "440000",
    });
    await walkTransfer(gw);
    firstCheckpoint = (await cutCheckpoint(gw.deps)).size;
    const letter = JSON.parse(
      readFileSync(new URL("../../../schemas/examples/contact-letter.json", import.meta.url), "utf8"),
    );
    await registerApplication(gw.deps, gw.principal("330000"), {
      caseId: "CASE-AUDIT-LATE",
      transferOutAgency: "440000",
    });
    await submitDocument(gw.deps, gw.principal("330000"), "CASE-AUDIT-LATE", {
      type: "contact-letter",
      body: letter.body,
      id: "ZJ-LXH-2024-000999",
    });
    await gw.dispatcher.runOnce();
    await cutCheckpoint(gw.deps);
    db = new Database(join(dir, "jiexu.db"));
  });
  afterAll(async () => {
    db.close();
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Flip one byte of a stored value, run the audit, put the byte back. */
  async function withFlipped(
    sql: { table: string; column: string; where: string; args: unknown[] },
    at: (length: number) => number,
  ): Promise<AuditReport> {
    const select = db.prepare(`SELECT ${sql.column} AS v FROM ${sql.table} WHERE ${sql.where}`);
    const update = db.prepare(`UPDATE ${sql.table} SET ${sql.column} = ? WHERE ${sql.where}`);
    const original = (select.get(...sql.args) as { v: Buffer | string }).v;
    const flipped =
      typeof original === "string"
        ? original.slice(0, at(original.length)) +
          (original[at(original.length)] === "0" ? "1" : "0") +
          original.slice(at(original.length) + 1)
        : Buffer.from(original).fill(
            original[at(original.length)]! ^ 0x01,
            at(original.length),
            at(original.length) + 1,
          );
    update.run(flipped, ...sql.args);
    try {
      return await runAudit(gw.deps);
    } finally {
      update.run(original, ...sql.args);
    }
  }

  it("passes every item on an untouched archive, with counts", async () => {
    const report = await runAudit(gw.deps);
    expect(failuresOf(report)).toEqual([]);
    expect(report.ok).toBe(true);
    const byId = Object.fromEntries(report.items.map((i) => [i.id, i]));
    expect(byId["authenticity.fixity"]!.checked).toBe(report.treeSize);
    const sealed = (await gw.deps.store.archive.leaves(0, report.treeSize)).filter(
      (l) => l.kind !== "case-index",
    ).length;
    expect(byId["authenticity.seals"]!.checked).toBe(sealed);
    expect(byId["integrity.case-index"]!.checked).toBeGreaterThan(report.treeSize - sealed);
    expect(byId["integrity.nodes"]!.checked).toBe(
      2 * report.treeSize - 1 - (report.treeSize.toString(2).split("1").length - 2),
    );
    expect(byId["integrity.checkpoint-roots"]!.checked).toBe(2);
    expect(new Set(report.items.map((i) => i.property))).toEqual(new Set(["真实性", "完整性", "可用性", "安全性"]));
  });

  it("locates a byte flipped in a stored entry", async () => {
    const report = await withFlipped(
      { table: "archive_leaves", column: "entry", where: "idx = ?", args: [5] },
      (n) => n - 40,
    );
    expect(failuresOf(report)).toContainEqual(
      expect.objectContaining({
        item: "authenticity.fixity",
        table: "archive_leaves",
        index: 5,
        field: "entry",
        code: "ENTRY_ALTERED",
      }),
    );
    expect(
      failuresOf(report).filter((f) => f.item === "integrity.nodes" || f.item === "integrity.checkpoint-roots"),
    ).toEqual([]);
    expect(report.ok).toBe(false);
  });

  it("locates a byte flipped in a stored subtree hash", async () => {
    const report = await withFlipped(
      { table: "archive_nodes", column: "hash", where: "level = ? AND idx = ?", args: [2, 1] },
      () => 7,
    );
    expect(failuresOf(report)).toEqual([
      expect.objectContaining({
        item: "integrity.nodes",
        table: "archive_nodes",
        level: 2,
        index: 1,
        field: "hash",
        code: "NODE_MISMATCH",
      }),
    ]);
  });

  it("locates a byte flipped in a stored leaf hash", async () => {
    const report = await withFlipped(
      { table: "archive_leaves", column: "leaf_hash", where: "idx = ?", args: [3] },
      () => 0,
    );
    expect(failuresOf(report)).toEqual([
      expect.objectContaining({ item: "authenticity.fixity", index: 3, field: "leaf_hash", code: "LEAF_HASH_ALTERED" }),
    ]);
  });

  it("locates a byte flipped in a checkpoint root", async () => {
    const report = await withFlipped(
      { table: "checkpoints", column: "root_hex", where: "size = ?", args: [firstCheckpoint] },
      () => 10,
    );
    expect(failuresOf(report)).toEqual([
      expect.objectContaining({
        item: "integrity.checkpoint-roots",
        table: "checkpoints",
        size: firstCheckpoint,
        field: "root_hex",
        code: "ROOT_MISMATCH",
      }),
    ]);
  });

  it("locates a byte flipped in a checkpoint signature", async () => {
    const report = await withFlipped(
      { table: "checkpoints", column: "note", where: "size = ?", args: [firstCheckpoint] },
      (n) => n - 5,
    );
    expect(failuresOf(report)).toEqual([
      expect.objectContaining({ item: "security.checkpoint-signatures", size: firstCheckpoint, field: "note" }),
    ]);
  });

  it("finds a documents row changed under a leaf stored by reference (issue 12)", async () => {
    const heads = (
      db.prepare("SELECT idx, kind, entry FROM archive_leaves ORDER BY idx").all() as {
        idx: number;
        kind: string;
        entry: Buffer;
      }[]
    ).filter((r) => isEntryHead(r.entry));
    for (const [kind, column] of [
      ["document", "canonical"],
      ["receipt", "receipt"],
    ] as const) {
      const leaf = heads.find((r) => r.kind === kind)!;
      const { key } = referencedKey(leaf.entry)!;
      const report = await withFlipped(
        {
          table: "documents",
          column,
          where: "owner_agency = ? AND direction = ? AND from_agency = ? AND document_id = ?",
          args: [key.ownerAgency, key.direction, key.from, key.documentId],
        },
        (n) => n - 40,
      );
      expect(failuresOf(report)).toContainEqual(
        expect.objectContaining({ item: "authenticity.fixity", index: leaf.idx, code: "ENTRY_ALTERED" }),
      );
      expect(report.ok).toBe(false);
    }
    expect((await runAudit(gw.deps)).ok).toBe(true);
  });

  it("finds a missing leaf", async () => {
    const row = db.prepare("SELECT * FROM archive_leaves WHERE idx = 4").get() as Record<string, unknown>;
    db.prepare("DELETE FROM archive_leaves WHERE idx = 4").run();
    try {
      const report = await runAudit(gw.deps);
      expect(failuresOf(report)).toContainEqual(
        expect.objectContaining({ item: "security.sequence", index: 4, code: "LEAF_MISSING" }),
      );
      expect(failuresOf(report).filter((f) => f.item === "integrity.nodes")).toEqual([]);
    } finally {
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO archive_leaves (${cols.join(",")}) VALUES (${cols.map(() => "?").join(",")})`).run(
        ...cols.map((c) => row[c]),
      );
    }
  });

  it("finds case indexes that no longer list what the log holds before them (issue 9 item 10)", async () => {
    const report = await withFlipped(
      { table: "archive_leaves", column: "entry", where: "idx = ?", args: [0] },
      (n) => n - 40,
    );
    const mismatches = failuresOf(report).filter((f) => f.item === "integrity.case-index");
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches.every((f) => f.code === "CASE_INDEX_MISMATCH" && f.index! > 0)).toBe(true);
  });

  it("finds a case whose last leaves no case index covers (issue 9 item 10)", async () => {
    const { idx } = db
      .prepare(
        "SELECT max(idx) AS idx FROM archive_leaves WHERE kind = 'case-index' AND case_id = 'CASE-AUDIT-LATE' AND owner_agency = '330000'",
      )
      .get() as { idx: number };
    db.prepare("UPDATE archive_leaves SET kind = 'document' WHERE idx = ?").run(idx);
    try {
      const report = await runAudit(gw.deps);
      const behind = failuresOf(report).filter((f) => f.code === "INDEX_BEHIND");
      expect(behind).toEqual([expect.objectContaining({ item: "integrity.case-index", table: "archive_leaves" })]);
      expect(behind[0]!.index).toBeLessThanOrEqual(idx);
    } finally {
      db.prepare("UPDATE archive_leaves SET kind = 'case-index' WHERE idx = ?").run(idx);
    }
    expect((await runAudit(gw.deps)).ok).toBe(true);
  });

  it("is for compliance and admin only", async () => {
    await expect(auditArchive(gw.deps, gw.principal("330000"))).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await auditArchive(gw.deps, { tokenId: "a", role: "admin" })).ok).toBe(true);
  });
});
