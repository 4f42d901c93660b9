import Database from "better-sqlite3";
import { rfc6962Hasher } from "../src/pki/merkle-hasher.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CaseEvent, CaseState } from "../src/domain/transfer-case/index.ts";
import { configureSqlite, migrateSqlite } from "../src/storage/connection.ts";
import { createSqliteStore, type SqliteStore } from "../src/storage/sqlite-store.ts";
import type { StateChange } from "../src/usecases/ports.ts";
import type { BenchLine } from "./types.ts";

/**
 * Storage micro benchmark: commits/s of ingest-shaped StateChanges (new case + event, a 2 KB sealed
 * document, a delivery, an audit row), durable (WAL, synchronous=FULL). Group commit with many commits
 * in flight is measured against one-at-a-time awaited commits (one fsync each), in the same run.
 */

const AT = "2026-03-02T08:00:00.000Z";
const canonical = new TextEncoder().encode(JSON.stringify({ jiexu: 1, body: "x".repeat(2000) }));
const seal = new Uint8Array(1500).fill(0x30);

function change(n: number): StateChange {
  const caseId = `case-${n}`;
  const documentId = `doc-${n}`;
  return {
    caseWrite: {
      agencyId: "330000",
      caseId,
      expectedVersion: 0,
      at: AT,
      state: { status: "contact-letter-received", caseId } as unknown as CaseState,
      events: [{ type: "ContactLetterReceived", caseId, at: AT, data: { documentId } } as unknown as CaseEvent],
    },
    newDocuments: [
      {
        ownerAgency: "330000",
        direction: "in",
        documentId,
        type: "contact-letter",
        caseId,
        from: "440000",
        to: "330000",
        canonical,
        seal,
        documentSha256: "a".repeat(64),
        sealSha256: "b".repeat(64),
        recordedAt: AT,
        state: "received",
        receipt: "{}",
      },
    ],
    newDeliveries: [
      {
        id: `dlv-${n}`,
        kind: "webhook",
        ownerAgency: "330000",
        documentId,
        target: "https://agency.example/hook",
        state: "queued",
        attempts: 0,
        nextAttemptAt: AT,
        createdAt: AT,
        updatedAt: AT,
      },
    ],
    audit: [{ at: AT, kind: "document.received", agencyId: "330000", caseId, documentId }],
  };
}

function openStore(dir: string, name: string): SqliteStore {
  const sqlite = new Database(join(dir, name));
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  return createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
}

/** Commits with `inFlight` commits outstanding at all times, for about `ms`; returns commits/s. */
async function measure(store: SqliteStore, inFlight: number, ms: number): Promise<number> {
  let next = 0;
  const start = performance.now();
  const deadline = start + ms;
  const worker = async () => {
    while (performance.now() < deadline) await store.commit(change(next++));
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return next / ((performance.now() - start) / 1000);
}

export async function benchStorage(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-bench-"));
  try {
    const sequentialStore = openStore(dir, "sequential.db");
    const sequential = await measure(sequentialStore, 1, 1500);
    await sequentialStore.close();
    const groupedStore = openStore(dir, "grouped.db");
    const grouped = await measure(groupedStore, 256, 1500);
    const { groups, items } = groupedStore.stats();
    await groupedStore.close();
    return [
      {
        bench: `storage: durable commits/s, group commit (256 in flight, ~${Math.round(items / groups)} per fsync) vs one at a time`,
        value: Math.round(grouped),
        unit: "commits/s",
        baseline: Math.round(sequential),
        ratio: Math.round((grouped / sequential) * 10) / 10,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await benchStorage());
