import Database from "better-sqlite3";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { startWriterThread } from "../../src/runtime/writer-thread.ts";
import { configureSqlite, migrateSqlite } from "../../src/storage/connection.ts";
import { createSqliteStore } from "../../src/storage/sqlite-store.ts";
import { openTempStore } from "./fixtures.ts";
import { describeStoreContract } from "./store-contract.ts";

/** The SQLite stores; D1 runs the same suite inside workerd (d1-store.workers.test.ts, the Workers project). */

describeStoreContract("SQLite, in-process group commit", async () => openTempStore());

describeStoreContract("SQLite, writer thread", async () => {
  // A migrated file (the fixture's own store closes at once), then the writer thread and a read connection.
  const temp = openTempStore();
  await temp.store.close();
  const writer = await startWriterThread({ path: temp.path });
  const sqlite = new Database(temp.path);
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher, writer });
  return {
    store,
    dispose: async () => {
      await store.close();
      await temp.dispose();
    },
  };
});
