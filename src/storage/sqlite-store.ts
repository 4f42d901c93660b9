import type { GatewayStore, ReminderRecord, StateChange } from "../usecases/ports.ts";
import { openDrizzle, type SqliteClient } from "./connection.ts";
import { toStoreError, unavailable } from "./errors.ts";
import { createGroupCommitter, type GroupCommitOptions, type GroupCommitStats } from "./group-commit.ts";
import { createGroupRunner, type Committed } from "./group-runner.ts";
import { listAuditEvents, listCasesPage, listDeliveries, prepareReads } from "./reads.ts";
import { toDeliveryRecord } from "./rows.ts";
import { saveToken } from "./queries.ts";
import { archiveReader, committedSize } from "./archive-reads.ts";
import type { LogHasher } from "../domain/archive/index.ts";

export interface SqliteStoreOptions extends GroupCommitOptions {
  /**
   * RFC 9162 hasher for the archive log (src/pki/merkle-hasher.ts); storage may not import pki itself.
   * Required: every gateway archives what it sends and receives (issue 6).
   */
  archiveHasher: LogHasher;
  /** Clock for the few rows the store stamps itself (token creation). */
  now?: () => Date;
  /**
   * Commit through this writer (a writer thread with its own connection) instead of on `sqlite`, which then
   * serves reads only; the writer's acknowledgement arrives after its COMMIT, so reads see what it reports.
   */
  writer?: StoreWriter;
}

export type SqliteStore = GatewayStore & {
  /** Commits what is queued, then closes the connection; later commits reject with STORE_UNAVAILABLE. */
  close(): Promise<void>;
  /** Group-commit counters: how many transactions carried how many commits. */
  stats(): Readonly<GroupCommitStats>;
};

/** The write side a store commits through: in process (below) or a writer thread (runtime/writer-thread.ts). */
export interface StoreWriter {
  /** Resolves once the change's group is durable; rejects with the change's coded StoreError. */
  commit(change: StateChange): Promise<Committed>;
  /** Commits what is queued, then closes the writer's connection; later commits reject with STORE_UNAVAILABLE. */
  close(): Promise<void>;
  stats(): Readonly<GroupCommitStats>;
}

/** Group commit on the caller's own connection and thread: each group blocks the event loop for its COMMIT. */
export function createInProcessWriter(
  sqlite: SqliteClient,
  options: SqliteStoreOptions,
): StoreWriter & { archiveSize(): number } {
  const runner = createGroupRunner(sqlite, options.archiveHasher);
  const committer = createGroupCommitter(runner.run, () => unavailable("the store is closed"), options);
  return {
    commit: (change) => committer.submit(change),
    close: async () => committer.close(),
    stats: () => ({ ...committer.stats }),
    // Same thread: a read never runs inside an open group, so the adopted frontier is the committed size.
    archiveSize: () => runner.archive.frontier()?.size ?? 0,
  };
}

/**
 * The GatewayStore over an open better-sqlite3 connection that has been configured (configureSqlite)
 * and migrated (migrateSqlite). A commit's promise resolves only after its group's COMMIT returned.
 */
export function createSqliteStore(sqlite: SqliteClient, options: SqliteStoreOptions): SqliteStore {
  const db = openDrizzle(sqlite);
  const reads = prepareReads(db);
  const now = options.now ?? (() => new Date());
  const local = options.writer ? undefined : createInProcessWriter(sqlite, options);
  const writer = options.writer ?? local!;
  // With a writer thread this connection sees only committed rows (WAL), so the log's size is the stored one.
  const archiveSize = local ? local.archiveSize : committedSize(db);
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
    commit: (change) => writer.commit(change),
    getCase: (agencyId, caseId) => read(() => reads.getCase(agencyId, caseId)),
    caseEvents: (agencyId, caseId) => read(() => reads.caseEvents(agencyId, caseId)),
    listCases: (query) => read(() => listCasesPage(db, query)),
    findCases: (by) =>
      read(() => ("caseId" in by ? reads.casesByCaseId(by.caseId) : reads.casesByVoucherId(by.voucherId))),
    getDocument: (key) => read(() => reads.getDocument(key)),
    inboundDocuments: (ownerAgency, documentId) => read(() => reads.inboundDocuments(ownerAgency, documentId)),
    caseDocuments: (agencyId, caseId) => read(() => reads.caseDocuments(agencyId, caseId)),
    documentsBySha256: (documentSha256) => read(() => reads.documentsBySha256(documentSha256)),
    inbox: (agencyId, afterSeq, limit) => read(() => reads.inbox(agencyId, afterSeq, limit)),
    pendingInbox: (agencyId, limit) => read(() => reads.pendingInbox(agencyId, limit)),
    sentReminders: (agencyId, caseId) => read(() => reads.sentReminders.all({ agencyId, caseId }) as ReminderRecord[]),
    casesToRemind: (query) => read(() => reads.casesToRemind(query)),
    unscheduledCases: (query) => read(() => reads.unscheduledCases(query)),
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
    saveToken: (hash, principal, label) => read(() => void saveToken(db, hash, principal, label, now()).run()),
    auditEvents: (query) => read(() => listAuditEvents(db, query)),
    archive: archiveReader(db, archiveSize, read),
    stats: () => writer.stats(),
    close: async () => {
      if (closed) return;
      closed = true;
      await writer.close();
      sqlite.close();
    },
  };
}
