import type { StateChange } from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";
import { prepareTemplateWrites } from "./report-template.ts";
import { changeOps, WRITE_SQL, type WriteKey } from "./write-sql.ts";

export type { WireDocument } from "./write-sql.ts";

/**
 * The write statements of a StateChange (write-sql.ts, shared with D1), prepared once. A document's report
 * template id is one the writer stored in this transaction or before (report-template.ts forgets its ids on
 * every rollback), so its foreign key holds.
 */
export function prepareWrites(db: SqliteDb) {
  // Plain better-sqlite3 statements: the commit path runs them for every document, and drizzle's prepared
  // queries add placeholder filling and value mapping to each run (issue 12).
  const statements = Object.fromEntries(
    Object.entries(WRITE_SQL).map(([key, text]) => [key, db.$client.prepare(text)]),
  ) as unknown as Record<WriteKey, Statement>;
  // The seq without RETURNING (which D1 needs): SQLite runs a RETURNING insert through a buffer of result rows,
  // ≈ 2 µs per document more than reading last_insert_rowid, which is the seq (its INTEGER PRIMARY KEY alias
  // of the rowid; no trigger on documents inserts another row in between).
  const insertDocument = db.$client.prepare(WRITE_SQL.insertDocument.replace(/\s+RETURNING seq$/, ""));
  const seqOf = (args: unknown[]) =>
    Number((insertDocument.run(...args) as { lastInsertRowid: number | bigint }).lastInsertRowid);
  return { statements, seqOf, templates: prepareTemplateWrites(db) };
}

type Statement = { run(...params: unknown[]): unknown };

export type Writes = ReturnType<typeof prepareWrites>;

/**
 * Runs every statement of one change, in batch order, inside the caller's transaction or savepoint; returns
 * the new documents' seqs.
 */
export function applyChange(w: Writes, change: StateChange): number[] {
  const seqs: number[] = [];
  for (const { key, args } of changeOps(change, w.templates.idOf)) {
    if (key === "insertDocument") seqs.push(w.seqOf(args as unknown[]));
    else if (Array.isArray(args)) w.statements[key].run(...args);
    else w.statements[key].run(args);
  }
  return seqs;
}
