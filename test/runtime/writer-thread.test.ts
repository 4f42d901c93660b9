import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { startWriterThread, type WriterThread } from "../../src/runtime/writer-thread.ts";
import { configureSqlite, migrateSqlite } from "../../src/storage/connection.ts";
import { createSqliteStore, type SqliteStore, type StoreWriter } from "../../src/storage/sqlite-store.ts";
import type { StateChange } from "../../src/usecases/ports.ts";
import { StoreError } from "../../src/usecases/store-error.ts";
import { caseEvent, caseState, documentRecord, ingestChange, openTempStore } from "../storage/fixtures.ts";

/**
 * The store with its writer in a worker thread (issue 12 item 2 acceptance): the same contract as the
 * in-process store — a change is atomic, changes to one case apply in the order they were accepted,
 * refusals arrive as the same coded StoreErrors — and a dead writer fails closed.
 */
let store: SqliteStore;
let writer: StoreWriter;
let dispose: () => Promise<void>;
let path: string;

beforeEach(async () => {
  // A migrated file (the fixture's own store closes at once), then the writer thread and a read connection.
  const temp = openTempStore();
  path = temp.path;
  const closeFixture = temp.store.close();
  await closeFixture;
  writer = await startWriterThread({ path });
  const sqlite = new Database(path);
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher, writer });
  dispose = async () => {
    await store.close();
    await temp.dispose();
  };
});
afterEach(async () => dispose());

const AT = "2026-03-03T00:00:00.000Z";
/** Step `version → version+1` of one case, carrying a document and an archive leaf. */
function step(caseId: string, expectedVersion: number, submitter: number): StateChange {
  const documentId = `${caseId}-v${expectedVersion + 1}-s${submitter}`;
  return {
    caseWrite: {
      agencyId: "330000",
      caseId,
      expectedVersion,
      state: caseState(caseId, `s${submitter}`),
      events: [caseEvent(caseId, `Step-${submitter}`)],
      at: AT,
    },
    newDocuments: [documentRecord({ documentId, caseId })],
    archive: [
      {
        kind: "document",
        ownerAgency: "330000",
        caseId,
        documentId,
        recordedAt: AT,
        entry: new TextEncoder().encode(documentId),
      },
    ],
  } as StateChange;
}

describe("the writer-thread store under concurrent submitters", () => {
  it("applies each change whole or not at all, one winner per case version, in acceptance order", async () => {
    const CASES = 8;
    const SUBMITTERS = 4;
    const STEPS = 6;
    for (let c = 0; c < CASES; c++) await store.commit(ingestChange(`case-${c}`, `doc-${c}-0`));
    // Each submitter drives every case forward, racing the others: reload the version, commit, retry on conflict.
    const accepted: { caseId: string; version: number; submitter: number; indexes: number[] }[] = [];
    const submit = async (s: number) => {
      for (let n = 0; n < STEPS; n++) {
        for (let c = 0; c < CASES; c++) {
          const caseId = `case-${c}`;
          const version = (await store.getCase("330000", caseId))!.version;
          try {
            const done = await store.commit(step(caseId, version, s));
            accepted.push({ caseId, version: version + 1, submitter: s, indexes: done.archiveIndexes });
          } catch (error) {
            expect(error).toBeInstanceOf(StoreError);
            expect((error as StoreError).code).toBe("VERSION_CONFLICT");
          }
        }
      }
    };
    await Promise.all(Array.from({ length: SUBMITTERS }, (_, s) => submit(s)));

    expect(writer.stats().groups).toBeLessThan(writer.stats().items);
    for (let c = 0; c < CASES; c++) {
      const caseId = `case-${c}`;
      const mine = accepted.filter((a) => a.caseId === caseId);
      const events = await store.caseEvents("330000", caseId);
      const docs = await store.caseDocuments("330000", caseId);
      // Every acknowledged step is there exactly once, with its own event and document, and nothing refused is.
      expect(events.map((e) => e.version)).toEqual(Array.from({ length: mine.length + 1 }, (_, i) => i + 1));
      expect(mine.map((a) => a.version).sort((x, y) => x - y)).toEqual(events.slice(1).map((e) => e.version));
      for (const a of mine) {
        expect(events[a.version - 1]!.event.type).toBe(`Step-${a.submitter}`);
        expect(docs.some((d) => d.documentId === `${caseId}-v${a.version}-s${a.submitter}`)).toBe(true);
      }
      expect(docs).toHaveLength(mine.length + 1);
      // Later versions got later leaves: the log's order is the order the writer accepted them.
      const byVersion = [...mine].sort((x, y) => x.version - y.version).map((a) => a.indexes[0]!);
      expect(byVersion).toEqual([...byVersion].sort((x, y) => x - y));
    }
    // Every leaf index acknowledged is unique, and the read connection sees the log up to the last one.
    const indexes = accepted.flatMap((a) => a.indexes);
    expect(new Set(indexes).size).toBe(indexes.length);
    expect(await store.archive.size()).toBeGreaterThan(Math.max(...indexes));
    const leaf = await store.archive.leaf(Math.max(...indexes));
    expect(leaf?.leafHash).toEqual(rfc6962Hasher.hashLeaf(leaf!.entry));
  });

  it("refuses a duplicate document with DUPLICATE_DOCUMENT, across the thread boundary", async () => {
    await store.commit(ingestChange("case-a", "doc-same"));
    const twice = { ...ingestChange("case-b", "doc-same"), caseWrite: undefined } as StateChange;
    const refused = await store.commit(twice).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe("DUPLICATE_DOCUMENT");
    expect(await store.getCase("330000", "case-b")).toBeUndefined();
  });

  it("commits everything sent before close(), then refuses with STORE_UNAVAILABLE", async () => {
    const sent = Array.from({ length: 50 }, (_, i) => store.commit(ingestChange(`case-${i}`, `doc-${i}`)));
    const closing = writer.close();
    await expect(Promise.all(sent)).resolves.toHaveLength(50);
    await closing;
    const late = await store.commit(ingestChange("case-late", "doc-late")).catch((error: unknown) => error);
    expect((late as StoreError).code).toBe("STORE_UNAVAILABLE");
    expect(await store.getCase("330000", "case-49")).toMatchObject({ version: 1 });
  });
});

describe("the writer thread's start", () => {
  it("loads writer-worker.ts through tsx when no prebuilt bundle is named, as a gateway run from source does", async () => {
    // The suite's other writer threads start from its prebuilt bundle (JIEXU_TEST_BUILD, test/support/prebuilt.ts).
    const prebuilt = process.env.JIEXU_TEST_BUILD;
    delete process.env.JIEXU_TEST_BUILD;
    const own = await startWriterThread({ path }).finally(() => {
      if (prebuilt !== undefined) process.env.JIEXU_TEST_BUILD = prebuilt;
    });
    try {
      await own.commit(ingestChange("case-tsx", "doc-tsx"));
    } finally {
      await own.close();
    }
    expect(await store.getCase("330000", "case-tsx")).toBeDefined();
  });
});

describe("the writer connection's pragmas", () => {
  it("takes the WAL checkpointer's wal_autocheckpoint and nothing else", async () => {
    const thread = writer as WriterThread;
    thread.pragma("wal_autocheckpoint = 1000");
    expect(() => thread.pragma("journal_mode = DELETE")).toThrow(/only wal_autocheckpoint/);
    await expect(store.commit(ingestChange("case-p", "doc-p"))).resolves.toMatchObject({ documentSeqs: [1] });
  });
});

describe("a writer thread that dies", () => {
  it("rejects the commits in flight and every later one with STORE_UNAVAILABLE", async () => {
    const sent = Array.from({ length: 200 }, (_, i) => store.commit(ingestChange(`case-${i}`, `doc-${i}`)));
    await (writer as WriterThread).kill();
    const settled = await Promise.allSettled(sent);
    const refused = settled.flatMap((r) => (r.status === "rejected" ? [r.reason as StoreError] : []));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e instanceof StoreError && e.code === "STORE_UNAVAILABLE")).toBe(true);
    // Whatever was acknowledged before the kill is on disk; nothing refused is reported as stored by a read.
    for (const [i, r] of settled.entries())
      if (r.status === "fulfilled") expect(await store.getCase("330000", `case-${i}`)).toBeDefined();
    const late = await store.commit(ingestChange("case-late", "doc-late")).catch((error: unknown) => error);
    expect((late as StoreError).code).toBe("STORE_UNAVAILABLE");
  });

  it("fails to start, rather than later, when it cannot open the database", async () => {
    const failed = await startWriterThread({ path: `${path}.missing/x/gateway.db` }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
  });
});
