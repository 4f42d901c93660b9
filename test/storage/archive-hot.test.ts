import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { toHex } from "../../src/domain/archive/index.ts";
import { prepareHotArchive } from "../../src/storage/archive-hot.ts";
import {
  caseItemsAfter,
  caseStatus,
  insertLeaf,
  insertNode,
  lastCaseIndex,
  nodeAt,
  storedSize,
} from "../../src/storage/archive-queries.ts";
import { configureSqlite, migrateSqlite, openDrizzle } from "../../src/storage/connection.ts";
import type { ArchiveEntryInput, StateChange } from "../../src/usecases/ports.ts";
import { ingestChange, openTempStore } from "./fixtures.ts";

/**
 * archive-hot.ts writes out archive-queries.ts's drizzle builders as plain statements (issue 12): on a log
 * with several cases, owners, case indexes and nodes, each must read exactly what its builder reads, and the
 * inserts must store exactly the rows the builders store.
 */
const AT = "2026-03-02T08:00:00.000Z";
const p = (name: string) => sql.placeholder(name);

function item(
  caseId: string,
  documentId: string,
  kind: "document" | "receipt",
  ownerAgency: string,
): ArchiveEntryInput {
  const entry = new TextEncoder().encode(JSON.stringify({ kind, documentId, ownerAgency }));
  return { kind, ownerAgency, caseId, documentId, recordedAt: AT, entry };
}

function archived(caseId: string, documentId: string, version: number, owner = "330000"): StateChange {
  const archive = [item(caseId, documentId, "document", owner), item(caseId, documentId, "receipt", owner)];
  return owner === "330000" ? { ...ingestChange(caseId, documentId, version), archive } : { archive };
}

describe("archive-hot statements, against the drizzle builders", () => {
  it("read the same case lookups, nodes and size", async () => {
    const { store, path, dispose } = openTempStore();
    try {
      await store.commit(archived("case-1", "doc-1", 0));
      await Promise.all([store.commit(archived("case-1", "doc-2", 1)), store.commit(archived("case-2", "doc-3", 0))]);
      await store.commit(archived("case-1", "doc-4", 0, "440000"));
      await store.commit({ indexCases: [{ ownerAgency: "330000", caseId: "case-2", at: AT }] });
      const sqlite = new Database(path, { readonly: true });
      const db = openDrizzle(sqlite);
      const hot = prepareHotArchive(db);
      const [last, after, status] = [
        lastCaseIndex(db, p("o"), p("c")).prepare(),
        caseItemsAfter(db, p("o"), p("c"), p("a")).prepare(),
        caseStatus(db, p("o"), p("c")).prepare(),
      ];
      const size = storedSize(db).get()?.n ?? 0;
      expect(hot.storedSize()).toBe(size);
      expect(size).toBeGreaterThan(10);
      let seen = 0; // lookups that found a row: the comparison covers found and missing rows
      for (const o of ["330000", "440000", "999999"])
        for (const c of ["case-1", "case-2", "case-9"]) {
          const lastRow = last.get({ o, c });
          seen += (lastRow ? 1 : 0) + (status.get({ o, c }) ? 1 : 0);
          expect(hot.lookup.lastIndex(o, c)).toEqual(lastRow);
          expect(hot.lookup.status(o, c)).toBe(status.get({ o, c })?.status ?? null);
          for (const a of [-1, 0, 2, 5, lastRow?.idx ?? -1, size]) {
            const rows = after.all({ o, c, a }).map((r) => ({
              leafIndex: r.idx,
              leafHash: toHex(r.leafHash),
              kind: r.kind,
              documentId: r.documentId,
            }));
            expect(hot.lookup.itemsAfter(o, c, a)).toEqual(rows);
          }
        }
      expect(seen).toBeGreaterThanOrEqual(5);
      const nodes = sqlite.prepare("SELECT level, idx FROM archive_nodes").all() as { level: number; idx: number }[];
      expect(nodes.length).toBeGreaterThan(size);
      const getNode = nodeAt(db, p("l"), p("i")).prepare();
      for (const { level, idx } of [...nodes, { level: 9, idx: 0 }]) {
        const hash = hot.readNode(level, idx);
        expect(hash).toEqual(getNode.get({ l: level, i: idx })?.hash);
        if (hash) expect(Object.getPrototypeOf(hash)).toBe(Uint8Array.prototype);
      }
      sqlite.close();
    } finally {
      await dispose();
    }
  });

  it("insert the same leaf and node rows", () => {
    const open = () => {
      const sqlite = new Database(":memory:");
      configureSqlite(sqlite);
      migrateSqlite(sqlite);
      return { sqlite, db: openDrizzle(sqlite) };
    };
    const [a, b] = [open(), open()];
    const hot = prepareHotArchive(a.db);
    const leaf = { ...item("case-1", "doc-1", "receipt", "330000"), idx: 0, leafHash: new Uint8Array(32).fill(7) };
    hot.insertLeaf({ ...leaf, stored: leaf.entry.subarray(0, 5) });
    hot.insertNode(1, 0, new Uint8Array(32).fill(9));
    insertLeaf(b.db, { ...leaf, entry: leaf.entry.subarray(0, 5) }).run();
    insertNode(b.db, { level: 1, idx: 0, hash: new Uint8Array(32).fill(9) }).run();
    for (const table of ["archive_leaves", "archive_nodes"]) {
      const rows = (s: Database.Database) => s.prepare(`SELECT * FROM ${table}`).all();
      expect(rows(a.sqlite)).toEqual(rows(b.sqlite));
      expect(rows(a.sqlite)).toHaveLength(1);
    }
  });
});
