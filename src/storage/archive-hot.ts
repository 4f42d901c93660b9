import { toHex } from "../domain/archive/index.ts";
import { CASE_INDEX_KIND, type IndexedItem } from "../usecases/case-index.ts";
import type { CaseLookup, PlannedAppend } from "./archive-append.ts";
import type { SqliteDb } from "./connection.ts";
import { bytesOf } from "./rows.ts";

/**
 * The archive statements the SQLite writer runs for every change (leaf and node inserts, the case lookups of
 * the case-index leaves, the frontier's node and size reads), as plain better-sqlite3 statements prepared once
 * with positional parameters and raw rows. They are archive-queries.ts's drizzle builders written out (the
 * same SQL as drizzle generates, constants inlined): drizzle's prepared-query wrapper cost ≈ 9 % of the
 * writer thread's CPU, in placeholder filling and row mapping (issue 12). D1 keeps the builders;
 * test/storage/archive-hot.test.ts checks these against them row for row.
 */
export const ARCHIVE_HOT_SQL = {
  insertLeaf:
    'insert into "archive_leaves" ("idx", "kind", "owner_agency", "case_id", "document_id", "recorded_at", "entry", "leaf_hash") values (?, ?, ?, ?, ?, ?, ?, ?)',
  insertNode: 'insert into "archive_nodes" ("level", "idx", "hash") values (?, ?, ?)',
  nodeAt: 'select "hash" from "archive_nodes" where ("archive_nodes"."level" = ? and "archive_nodes"."idx" = ?)',
  storedSize: 'select max("idx") + 1 from "archive_leaves"',
  lastCaseIndex: `select "idx", "entry" from "archive_leaves" where ("archive_leaves"."owner_agency" = ? and "archive_leaves"."case_id" = ?
      and "archive_leaves"."kind" = '${CASE_INDEX_KIND}') order by "archive_leaves"."idx" desc limit 1`,
  caseItemsAfter: `select "idx", "leaf_hash", "kind", "document_id" from "archive_leaves" where ("archive_leaves"."owner_agency" = ?
      and "archive_leaves"."case_id" = ? and "archive_leaves"."kind" <> '${CASE_INDEX_KIND}' and "archive_leaves"."idx" > ?)
      order by "archive_leaves"."idx" asc`,
  caseStatus: 'select "status" from "cases" where ("cases"."agency_id" = ? and "cases"."case_id" = ?)',
} as const;

type Statement = {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
  pluck(): Statement;
  raw(): Statement;
};

export function prepareHotArchive(db: SqliteDb) {
  const prepare = (key: keyof typeof ARCHIVE_HOT_SQL) =>
    db.$client.prepare(ARCHIVE_HOT_SQL[key]) as unknown as Statement;
  const leafInsert = prepare("insertLeaf");
  const nodeInsert = prepare("insertNode");
  // One-column reads come back as the value (pluck), the others as arrays (raw): no row objects built.
  const getNode = prepare("nodeAt").pluck();
  const sizeQuery = prepare("storedSize").pluck();
  const statusOf = prepare("caseStatus").pluck();
  const lastIndex = prepare("lastCaseIndex").raw();
  const itemsAfter = prepare("caseItemsAfter").raw();

  const lookup: CaseLookup = {
    lastIndex: (owner, caseId) => {
      const row = lastIndex.get(owner, caseId) as [number, Uint8Array] | undefined;
      return row && { idx: row[0], entry: bytesOf(row[1]) };
    },
    itemsAfter: (owner, caseId, after) =>
      (itemsAfter.all(owner, caseId, after) as [number, Uint8Array, string, string][]).map(
        ([leafIndex, leafHash, kind, documentId]) => ({
          leafIndex,
          leafHash: toHex(leafHash),
          kind: kind as IndexedItem["kind"],
          documentId,
        }),
      ),
    status: (owner, caseId) => (statusOf.get(owner, caseId) as string | undefined) ?? null,
  };

  return {
    lookup,
    readNode: (level: number, index: number): Uint8Array | undefined => {
      const hash = getNode.get(level, index) as Uint8Array | undefined;
      return hash && bytesOf(hash);
    },
    storedSize: (): number => (sizeQuery.get() as number | null | undefined) ?? 0,
    insertLeaf: (l: PlannedAppend["leaves"][number]) =>
      leafInsert.run(l.idx, l.kind, l.ownerAgency, l.caseId, l.documentId, l.recordedAt, l.stored, l.leafHash),
    insertNode: (level: number, index: number, hash: Uint8Array) => nodeInsert.run(level, index, hash),
  };
}
