import type { GatewayStore, ReminderRecord, StateChange } from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import { openDrizzle, type SqliteClient } from "./connection.ts";
import { toStoreError, unavailable } from "./errors.ts";
import { createGroupCommitter, type GroupCommitOptions, type GroupCommitStats, type Outcome } from "./group-commit.ts";
import { listAuditEvents, listCasesPage, listDeliveries, prepareReads } from "./reads.ts";
import { toCaseRecord, toDeliveryRecord, toDocumentRecord } from "./rows.ts";
import { tokens } from "./schema.ts";
import { applyChange, prepareWrites, type Writes } from "./writes.ts";
import { archiveReader, prepareArchive, type ArchiveWrites } from "./archive-log.ts";
import type { LogHasher } from "../domain/archive/index.ts";

export interface SqliteStoreOptions extends GroupCommitOptions {
  /**
   * RFC 9162 hasher for the archive log (src/pki/merkle-hasher.ts); storage may not import pki itself.
   * Required: every gateway archives what it sends and receives (issue 6).
   */
  archiveHasher: LogHasher;
  /** Clock for the few rows the store stamps itself (token creation). */
  now?: () => Date;
}

export type SqliteStore = GatewayStore & {
  /** Commits what is queued, then closes the connection; later commits reject with STORE_UNAVAILABLE. */
  close(): Promise<void>;
  /** Group-commit counters: how many transactions carried how many commits. */
  stats(): Readonly<GroupCommitStats>;
};

/**
 * One group = one IMMEDIATE transaction; each change runs in its own SAVEPOINT, so a refused change
 * rolls back alone, and the final COMMIT (one WAL fsync, synchronous=FULL) makes the rest durable.
 * If the COMMIT itself fails nothing was written, and every change in the group is refused.
 *
 * On D1 (no BEGIN, no savepoints) the same `applyChange` statements map onto one `db.batch([...])`
 * per change: a batch is atomic there, the guards are constraints rather than reads, and D1 already
 * groups durability on its side, so no group commit is needed.
 */
function groupRunner(sqlite: SqliteClient, writes: Writes, archive: ArchiveWrites) {
  // Prepared once: drizzle's nested tx.transaction() would prepare its SAVEPOINT text on every change.
  const savepoint = sqlite.prepare("SAVEPOINT change");
  const release = sqlite.prepare("RELEASE change");
  const rollbackTo = sqlite.prepare("ROLLBACK TO change");
  type Committed = { documentSeqs: number[]; archiveIndexes: number[] };
  // The archive frontier advances change by change inside the group and is adopted only after COMMIT.
  let tentative = archive.frontier();
  const applyOne = (change: StateChange): Outcome<Committed> => {
    savepoint.run();
    try {
      const documentSeqs = applyChange(writes, change);
      const appended = archive.apply(change, tentative);
      release.run();
      tentative = appended.next;
      return { ok: true, value: { documentSeqs, archiveIndexes: appended.indexes } };
    } catch (error) {
      rollbackTo.run();
      release.run();
      return { ok: false, error: toStoreError(error) };
    }
  };
  // better-sqlite3's transaction(): BEGIN IMMEDIATE … COMMIT, or ROLLBACK and rethrow.
  const runAll = sqlite.transaction((changes: StateChange[]) => {
    tentative = archive.current();
    return changes.map(applyOne);
  });
  return (changes: StateChange[]): Outcome<Committed>[] => {
    try {
      const outcomes = runAll.immediate(changes);
      archive.adopt(tentative);
      return outcomes;
    } catch (cause) {
      const error = toStoreError(cause);
      const refused = error instanceof StoreError ? error : unavailable("the group commit failed", cause);
      return changes.map(() => ({ ok: false, error: refused }));
    }
  };
}

/**
 * The GatewayStore over an open better-sqlite3 connection that has been configured (configureSqlite)
 * and migrated (migrateSqlite). A commit's promise resolves only after its group's COMMIT returned.
 */
export function createSqliteStore(sqlite: SqliteClient, options: SqliteStoreOptions): SqliteStore {
  const db = openDrizzle(sqlite);
  const writes = prepareWrites(db);
  const reads = prepareReads(db);
  const now = options.now ?? (() => new Date());
  const archive = prepareArchive(db, options.archiveHasher);
  const committer = createGroupCommitter(
    groupRunner(sqlite, writes, archive),
    () => unavailable("the store is closed"),
    options,
  );
  let closed = false;

  // Reads after close() fail as STORE_UNAVAILABLE rather than with a driver message.
  const read = <T>(query: () => T): Promise<T> => {
    if (closed) return Promise.reject(unavailable("the store is closed"));
    try {
      return Promise.resolve(query());
    } catch (error) {
      return Promise.reject(toStoreError(error));
    }
  };

  return {
    commit: (change) => committer.submit(change),
    getCase: (agencyId, caseId) =>
      read(() => {
        const row = reads.getCase.get({ agencyId, caseId });
        return row && toCaseRecord(row);
      }),
    caseEvents: (agencyId, caseId) => read(() => reads.caseEvents.all({ agencyId, caseId })),
    listCases: (query) => read(() => listCasesPage(db, query)),
    getDocument: (key) =>
      read(() => {
        const row = reads.getDocument.get({ ...key });
        return row && toDocumentRecord(row);
      }),
    findDocuments: (from, documentId) =>
      read(() =>
        (from === undefined
          ? reads.findDocumentsById.all({ documentId })
          : reads.findDocuments.all({ from, documentId })
        ).map(toDocumentRecord),
      ),
    caseDocuments: (agencyId, caseId) =>
      read(() => reads.caseDocuments.all({ agencyId, caseId }).map(toDocumentRecord)),
    inbox: (agencyId, afterSeq, limit) =>
      read(() => reads.inbox.all({ agencyId, afterSeq, limit }).map(toDocumentRecord)),
    sentReminders: (agencyId, caseId) => read(() => reads.sentReminders.all({ agencyId, caseId }) as ReminderRecord[]),
    outboxDepth: () => read(() => reads.outboxDepth.get()?.n ?? 0),
    dueDeliveries: (at, limit) => read(() => reads.dueDeliveries.all({ now: at, limit }).map(toDeliveryRecord)),
    listDeliveries: (query) => read(() => listDeliveries(db, query)),
    getDelivery: (id) =>
      read(() => {
        const row = reads.getDelivery.get({ id });
        return row && toDeliveryRecord(row);
      }),
    principalByTokenHash: (hash) =>
      read(() => {
        const row = reads.tokenByHash.get({ hash });
        return row && { tokenId: row.tokenId, role: row.role, ...(row.agencyId ? { agencyId: row.agencyId } : {}) };
      }),
    // Tokens are provisioned by operators, rarely: one autocommit (fsynced) write outside the groups.
    saveToken: (hash, principal, label) =>
      read(() => {
        const row = {
          tokenHash: hash,
          tokenId: principal.tokenId,
          role: principal.role,
          agencyId: principal.agencyId ?? null,
          label,
          createdAt: now().toISOString(),
        };
        db.insert(tokens)
          .values(row)
          .onConflictDoUpdate({ target: tokens.tokenHash, set: { ...row, tokenHash: undefined } })
          .run();
      }),
    auditEvents: (query) => read(() => listAuditEvents(db, query)),
    archive: archiveReader(db, archive, read),
    stats: () => ({ ...committer.stats }),
    close: async () => {
      if (closed) return;
      committer.close();
      closed = true;
      sqlite.close();
    },
  };
}
