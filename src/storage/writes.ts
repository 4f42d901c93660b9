import type { StateChange } from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";
import { prepareTemplateWrites } from "./report-template.ts";
import { changeOps, INSERT_DOCUMENT, WRITE_SQL, type WriteKey } from "./write-sql.ts";

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
    Object.entries(WRITE_SQL)
      .filter(([key]) => key !== "insertDocument")
      .map(([key, text]) => [key, db.$client.prepare(text)]),
  ) as unknown as Record<Exclude<WriteKey, "insertDocument">, Statement>;
  // The seq is last_insert_rowid: `seq` is the rowid's INTEGER PRIMARY KEY alias and no trigger on documents
  // inserts another row in between. Exactly one row must have been inserted, or the rowid is another insert's.
  const insertDocument = db.$client.prepare(INSERT_DOCUMENT);
  const seqOf = (args: unknown[]) => {
    const { changes, lastInsertRowid } = insertDocument.run(...args) as RunResult;
    if (changes !== 1) throw new Error(`a document insert changed ${changes} rows`);
    return Number(lastInsertRowid);
  };
  return { statements, seqOf, templates: prepareTemplateWrites(db) };
}

type RunResult = { changes: number; lastInsertRowid: number | bigint };
type Statement = { run(...params: unknown[]): RunResult };

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
