import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CaseEvent, CaseState } from "../../src/domain/transfer-case/index.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { configureSqlite, migrateSqlite } from "../../src/storage/connection.ts";
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from "../../src/storage/sqlite-store.ts";
import type { DeliveryRecord, DocumentRecord, StateChange } from "../../src/usecases/ports.ts";

/** A migrated store on a fresh temp file (real better-sqlite3, WAL, synchronous=FULL). */
export function openTempStore(options: Partial<SqliteStoreOptions> = {}): {
  store: SqliteStore;
  path: string;
  dispose: () => Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-store-"));
  const path = join(dir, "gateway.db");
  const store = openStoreAt(path, options);
  return {
    store,
    path,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function openStoreAt(path: string, options: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const sqlite = new Database(path);
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  return createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher, ...options });
}

const AT = "2026-03-02T08:00:00.000Z";

/** Storage treats state and events as opaque JSON; these are shaped like the domain's, not decided by it. */
export function caseState(caseId: string, status = "application-registered"): CaseState {
  return {
    status,
    caseId,
    agencyId: "440000",
    counterpartId: "330000",
    documents: { "contact-letter": [] },
  } as unknown as CaseState;
}

export function caseEvent(caseId: string, type = "ApplicationRegistered"): CaseEvent {
  return { type, caseId, at: AT, data: { agencyId: "440000", note: "建档" } } as unknown as CaseEvent;
}

export function documentRecord(overrides: Partial<DocumentRecord> = {}): DocumentRecord {
  return {
    ownerAgency: "330000",
    direction: "in",
    documentId: "doc-1",
    type: "contact-letter",
    caseId: "case-1",
    from: "440000",
    to: "330000",
    canonical: new TextEncoder().encode('{"jiexu":1,"id":"doc-1"}'),
    seal: Uint8Array.from([0x30, 0x82, 0x01, 0x00, 0xff]),
    documentSha256: "a".repeat(64),
    sealSha256: "b".repeat(64),
    recordedAt: AT,
    state: "received",
    ...overrides,
  };
}

export function deliveryRecord(overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id: "dlv-1",
    kind: "document",
    ownerAgency: "440000",
    documentId: "doc-1",
    target: "330000",
    state: "queued",
    attempts: 0,
    nextAttemptAt: AT,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

/** The shape of one ingested document: case step + document + audit row, as the receive use case writes. */
export function ingestChange(
  caseId: string,
  documentId: string,
  expectedVersion = 0,
  agencyId = "330000",
): StateChange {
  return {
    caseWrite: { agencyId, caseId, expectedVersion, state: caseState(caseId), events: [caseEvent(caseId)], at: AT },
    newDocuments: [documentRecord({ ownerAgency: agencyId, documentId, caseId })],
    audit: [{ at: AT, kind: "document.received", agencyId, caseId, documentId }],
  };
}
