import Database from "better-sqlite3";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DevPki } from "../../src/dev/pki.ts";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { noteKeyFromSeed } from "../../src/pki/note-signer.ts";
import { silentLogger } from "../../src/runtime/basics.ts";
import { buildGateway, type Gateway, type GatewayMaterials, type GatewayPorts } from "../../src/runtime/compose.ts";
import { createLazyNodePrinter } from "../../src/runtime/lazy-printer.ts";
import { materialsFromDevPki } from "../../src/runtime/materials.ts";
import { issueToken } from "../../src/runtime/tokens.ts";
import { configureSqlite, migrateSqlite } from "../../src/storage/connection.ts";
import { createSqliteStore } from "../../src/storage/sqlite-store.ts";
import type { Logger, Metrics, Principal } from "../../src/usecases/index.ts";
import { FIXTURE_NOW, devPkiFixture } from "../fixtures/dev-pki.ts";

/** A clock tests move by hand. */
export interface TestClock {
  now(): Date;
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function testClock(start: Date = new Date(FIXTURE_NOW.getTime() + 3600_000)): TestClock {
  let t = start.getTime();
  return { now: () => new Date(t), set: (at) => void (t = new Date(at).getTime()), advance: (ms) => void (t += ms) };
}

export const noMetrics: Metrics = { count() {}, observe() {} };

export interface TestGateway extends Gateway {
  pki: DevPki;
  clock: TestClock;
  /** Bearer tokens: one per hosted agency, plus compliance and admin. */
  tokens: Record<string, string>;
  complianceToken: string;
  adminToken: string;
  principal(agencyId: string): Principal;
  /** The reading connection of the store: tests that tamper with stored rows write through it. */
  sqlite: Database.Database;
  close(): Promise<void>;
}

let counter = 0;
/** One printer for every test gateway of a run: the common font cut is made once, cached for later runs too. */
const testPrinter = createLazyNodePrinter(join(tmpdir(), "jiexu-font-cache"));
/** A fixed Ed25519 checkpoint key for tests (seed of 32 bytes of 7). */
export const ARCHIVE_KEY = noteKeyFromSeed(new Uint8Array(32).fill(7));

/**
 * A real gateway over an in-memory SQLite store and the shared development PKI (all six agencies),
 * its clock fixed at the PKI's creation time + 1 h so certificates and CRLs are current.
 */
export async function createTestGateway(
  options: {
    materials?: Partial<GatewayMaterials>;
    metrics?: Metrics;
    databasePath?: string;
    logger?: Logger;
    /** Remote agencies (a directory's listings), when a test needs some. */
    remote?: GatewayPorts["remote"];
  } = {},
): Promise<TestGateway> {
  const pki = await devPkiFixture();
  const clock = testClock();
  const sqlite = new Database(options.databasePath ?? ":memory:");
  configureSqlite(sqlite);
  migrateSqlite(sqlite);
  const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
  let seq = 0;
  const gateway = buildGateway(
    materialsFromDevPki(pki, {
      archiveKey: { privateKey: ARCHIVE_KEY, origin: "jiexu.test/archive" },
      ...options.materials,
    }),
    {
      store,
      clock,
      ids: { newId: (p) => `${p}-${++counter}-${++seq}` },
      random: () => 0.5,
      logger: options.logger ?? silentLogger,
      metrics: options.metrics ?? noMetrics,
      printer: testPrinter,
      ...(options.remote ? { remote: options.remote } : {}),
    },
  );
  const tokens: Record<string, string> = {};
  for (const a of pki.agencies) {
    tokens[a.spec.id] = await issueToken(
      store,
      { tokenId: `tok-${a.spec.id}`, role: "agency", agencyId: a.spec.id },
      `tok-${a.spec.id}`,
    );
  }
  const complianceToken = await issueToken(store, { tokenId: "tok-compliance", role: "compliance" }, "tok-compliance");
  const adminToken = await issueToken(store, { tokenId: "tok-admin", role: "admin" }, "tok-admin");
  return {
    ...gateway,
    pki,
    clock,
    tokens,
    complianceToken,
    adminToken,
    principal: (agencyId) => ({ tokenId: `tok-${agencyId}`, role: "agency", agencyId }),
    sqlite,
    close: async () => {
      await gateway.dispatcher.idle();
      await store.close();
    },
  };
}
