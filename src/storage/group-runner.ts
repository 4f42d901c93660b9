import type { LogHasher } from "../domain/archive/index.ts";
import type { StateChange } from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import { prepareArchive } from "./archive-log.ts";
import { openDrizzle, type SqliteClient } from "./connection.ts";
import { toStoreError, unavailable } from "./errors.ts";
import type { Outcome } from "./group-commit.ts";
import { applyChange, prepareWrites } from "./writes.ts";

/** What one committed change reports back: the documents' sequence numbers and its archive leaf indexes. */
export type Committed = { documentSeqs: number[]; archiveIndexes: number[] };

/**
 * The writer side of the store: everything that runs commit groups on one connection — the write
 * statements, the archive log and its in-memory frontier. It runs either on the gateway's own thread
 * (createSqliteStore without a writer) or alone in a worker thread (runtime/writer-thread.ts).
 *
 * One group = one IMMEDIATE transaction and one COMMIT (one WAL fsync, synchronous=FULL). It runs first without
 * savepoints; if a change is refused, that pass rolls back and the group runs again in a second transaction with
 * each change in its own SAVEPOINT, so a refused change rolls back alone (the write lock is released between the
 * two: a second process may take it, and everything is re-read). If the COMMIT itself fails nothing was written,
 * and every change in the group is refused.
 *
 * On D1 (no BEGIN, no savepoints) the same statements (write-sql.ts) make one `db.batch([...])` per
 * change (d1-commit.ts): a batch is atomic there, the guards are constraints rather than reads, and D1 already
 * groups durability on its side, so no group commit is needed.
 */
export function createGroupRunner(sqlite: SqliteClient, hasher: LogHasher) {
  const db = openDrizzle(sqlite);
  const writes = prepareWrites(db);
  const archive = prepareArchive(db, hasher);
  // Prepared once: drizzle's nested tx.transaction() would prepare its SAVEPOINT text on every change.
  const savepoint = sqlite.prepare("SAVEPOINT change");
  const release = sqlite.prepare("RELEASE change");
  const rollbackTo = sqlite.prepare("ROLLBACK TO change");
  // The archive frontier advances change by change inside the group and is adopted only after COMMIT.
  let tentative = archive.frontier();
  /** One change's rows and archive leaves, in the caller's transaction or savepoint; the frontier moves on. */
  const applyBare = (change: StateChange): Outcome<Committed> => {
    const documentSeqs = applyChange(writes, change);
    const appended = archive.apply(change, tentative);
    tentative = appended.next;
    return { ok: true, value: { documentSeqs, archiveIndexes: appended.indexes } };
  };
  const applyOne = (change: StateChange): Outcome<Committed> => {
    savepoint.run();
    try {
      const outcome = applyBare(change);
      release.run();
      return outcome;
    } catch (error) {
      rollbackTo.run();
      writes.templates.forget(); // the rollback may have taken report-template rows this change stored
      release.run();
      return { ok: false, error: toStoreError(error) };
    }
  };
  // The optimistic pass (issue 12): the whole group without savepoints. Inside a savepoint, every page a
  // change writes that an earlier change of the group already wrote is first copied into the sub-journal
  // (≈ 6 % of the writer's CPU). A change that fails there aborts the pass, which rolls back as a whole;
  // the group then runs again change by change in savepoints (applyOne), exactly as if the optimistic pass
  // had never run — so a refusal costs one wasted pass, never a different outcome.
  // better-sqlite3's transaction(): BEGIN IMMEDIATE … COMMIT, or ROLLBACK and rethrow.
  const optimistic = sqlite.transaction((changes: StateChange[]) => {
    tentative = archive.current();
    try {
      return changes.map(applyBare);
    } catch (error) {
      throw new ChangeFailed({ cause: error });
    }
  });
  const runAll = sqlite.transaction((changes: StateChange[]) => {
    tentative = archive.current();
    return changes.map(applyOne);
  });
  // After a group with a refusal the next runs in savepoints straight away, until one has none: a burst of
  // conflicting changes then wastes one optimistic pass, not one per group.
  let careful = false;
  const inSavepoints = (changes: StateChange[]): Outcome<Committed>[] => {
    const outcomes = runAll.immediate(changes);
    careful = outcomes.some((o) => !o.ok);
    return outcomes;
  };
  const runGroup = (changes: StateChange[]): Outcome<Committed>[] => {
    if (careful) return inSavepoints(changes);
    try {
      return optimistic.immediate(changes);
    } catch (error) {
      if (!(error instanceof ChangeFailed)) throw error;
      writes.templates.forget(); // the ROLLBACK took every template row the pass stored
      return inSavepoints(changes);
    }
  };
  const run = (changes: StateChange[]): Outcome<Committed>[] => {
    try {
      const outcomes = runGroup(changes);
      archive.adopt(tentative);
      return outcomes;
    } catch (cause) {
      const error = toStoreError(cause);
      writes.templates.forget(); // the group's ROLLBACK took every template row it stored
      const refused = error instanceof StoreError ? error : unavailable("the group commit failed", cause);
      return changes.map(() => ({ ok: false, error: refused }));
    }
  };
  return { run, archive };
}

/** A change of the optimistic pass failed (not its COMMIT): the group is to run again in savepoints. */
class ChangeFailed extends Error {
  constructor(options: { cause: unknown }) {
    super("a change of the optimistic pass failed", options);
  }
}

export type GroupRunner = ReturnType<typeof createGroupRunner>;
