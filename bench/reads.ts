import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rfc6962Hasher } from "../src/pki/merkle-hasher.ts";
import { configureSqlite, migrateSqlite } from "../src/storage/connection.ts";
import { createSqliteStore, type SqliteStore } from "../src/storage/sqlite-store.ts";
import { createCalendar } from "../src/domain/calendar/index.ts";
import { createCaseDecider } from "../src/domain/transfer-case/index.ts";
import type { GatewayDeps } from "../src/usecases/deps.ts";
import { sendDeadlineReminders } from "../src/usecases/index.ts";
import type { BenchLine } from "./types.ts";

/**
 * Reads at scale: the reads a clerk's console and an agency's back end make all day — an acknowledgement by
 * document id alone, the pending inbox, a person's cases, a case's deliveries, the failed sends — timed on a
 * store holding 100,000 of an agency's transfers against the same store holding 1,000. A read that goes
 * through the right index costs the same in both (ratio ≈ 1); one that walks the agency's history costs
 * ~100× (test/storage/read-plans.test.ts pins the plans; this shows what they are worth). Rows are inserted
 * directly, nearly all of them answered (acknowledged, delivered), a handful waiting; one case in ten is open.
 */
const LARGE = 100_000;
const SMALL = 1_000;
const AGENCY = "330000";
const AT = "2026-03-02T08:00:00.000Z";
const PERSON = "33010619760815123X";
const NEXT_LOOK = "2026-03-08T16:00:00.000Z";
const OPEN_STATE = JSON.stringify({
  status: "contact-letter-sent",
  flags: { priority: null, emergencyDeferred: false },
  emergencyWindows: [],
  deadline: { step: "contact-letter", owedBy: "440000", startedOn: "2026-03-02", workingDays: 15, due: "2026-03-23" },
});

function fill(sqlite: Database.Database, n: number): void {
  const doc = sqlite.prepare(
    `INSERT INTO documents (owner_agency, direction, document_id, type, case_id, from_agency, to_agency, canonical,
       seal, document_sha256, seal_sha256, recorded_at, state)
     VALUES ('${AGENCY}', 'in', ?, 'insurance-record', ?, '440000', '${AGENCY}', ?, x'30', 'a', 'b', '${AT}', ?)`,
  );
  const kase = sqlite.prepare(
    `INSERT INTO cases (agency_id, case_id, version, status, priority, person_id, state, remind_at, created_at, updated_at)
     VALUES ('${AGENCY}', ?, 1, ?, 0, ?, ?, ?, ?, '${AT}')`,
  );
  const delivery = sqlite.prepare(
    `INSERT INTO deliveries (id, kind, owner_agency, document_id, target, state, attempts, next_attempt_at,
       created_at, updated_at)
     VALUES (?, 'document', '${AGENCY}', ?, 'https://gd.example', ?, 1, '${AT}', ?, '${AT}')`,
  );
  const body = new Uint8Array(2000).fill(0x20);
  sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const waiting = i % (n / 10) === 0; // ten of them, spread through the history
      const created = new Date(Date.parse(AT) + i * 1000).toISOString();
      doc.run(`GD-${i}`, `case-${i}`, body, waiting ? "received" : "acknowledged");
      const person = i === n / 2 ? PERSON : `P${String(i).padStart(17, "0")}`;
      // One in ten still open, its next reminder look scheduled (reminder-schedule.ts) a week on.
      if (i % 10 === 0) kase.run(`case-${i}`, "contact-letter-sent", person, OPEN_STATE, NEXT_LOOK, created);
      else kase.run(`case-${i}`, "completed", person, "{}", null, created);
      delivery.run(`dlv-${i}`, `ZJ-${i}`, waiting ? "failed" : "delivered", created);
    }
  })();
}

const READS: [string, (store: SqliteStore, n: number) => Promise<unknown>][] = [
  ["an inbound document by id alone", (s, n) => s.inboundDocuments(AGENCY, `GD-${n / 2}`)],
  ["the pending inbox (first 50)", (s) => s.pendingInbox(AGENCY, 50)],
  ["a person's cases at the agency", (s) => s.listCases({ agencyId: AGENCY, idNumber: PERSON, limit: 50 })],
  [
    "a case's deliveries",
    (s, n) => s.listDeliveries({ ownerAgency: AGENCY, documentIds: [`ZJ-${n / 2}`], limit: 500 }),
  ],
  ["the agency's failed sends", (s) => s.listDeliveries({ ownerAgency: AGENCY, state: "failed", limit: 200 })],
  ["every case, first page", (s) => s.listCases({ limit: 50 })],
  // One in ten open, none due a look: the pass reads nothing (before migration 0008 it parsed and decided every
  // open case, and read its sent reminders, on every pass).
  ["a deadline reminder pass with nothing due", (s) => sendDeadlineReminders(reminderDeps(s))],
];

/** What the reminder pass needs beside the store, at a time before any case's next look. */
function reminderDeps(store: SqliteStore): Parameters<typeof sendDeadlineReminders>[0] {
  const calendar = createCalendar();
  return {
    store,
    calendar,
    decider: createCaseDecider({ calendar }),
    clock: { now: () => new Date("2026-03-03T02:00:00.000Z") },
    agencies: { hosted: () => undefined } as unknown as GatewayDeps["agencies"],
    ids: { newId: (prefix) => `${prefix}-bench` },
    logger: { info: () => {}, warn: () => {}, error: () => {} } as unknown as GatewayDeps["logger"],
  };
}

/** Microseconds per call of `read`, the median of five timed rounds after a warm-up. */
async function timeRead(read: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await read();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const calls = 50;
    const start = performance.now();
    for (let i = 0; i < calls; i++) await read();
    rounds.push(((performance.now() - start) * 1000) / calls);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

export async function benchReads(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-bench-reads-"));
  try {
    const open = (n: number) => {
      const sqlite = new Database(join(dir, `${n}.db`));
      configureSqlite(sqlite);
      migrateSqlite(sqlite);
      fill(sqlite, n);
      return createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher });
    };
    const small = open(SMALL);
    const large = open(LARGE);
    const lines: BenchLine[] = [];
    for (const [name, read] of READS) {
      const base = await timeRead(() => read(small, SMALL));
      const value = await timeRead(() => read(large, LARGE));
      lines.push({
        bench: `reads: ${name}, ${LARGE.toLocaleString("en")} transfers kept vs ${SMALL.toLocaleString("en")}`,
        value: Math.round(value * 10) / 10,
        unit: "µs/read",
        baseline: Math.round(base * 10) / 10,
        ratio: Math.round((value / base) * 100) / 100,
      });
    }
    await small.close();
    await large.close();
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
