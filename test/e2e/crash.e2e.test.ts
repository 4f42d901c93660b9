import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { agencySeal, contactLetter } from "../../bench/support/sealing.ts";
import {
  makeDataDir,
  removeDataDir,
  startGatewayProcess,
  type GatewayProcess,
} from "../../bench/support/gateway-process.ts";
import { exchange } from "./support/http.ts";

/**
 * Issue 4 acceptance: SIGKILL the gateway process in the middle of a burst of submissions. After a
 * restart on the same data directory every document that got a 2xx and a receipt is there (a replay
 * answers 200 with the very same receipt bytes) and no half-written state exists.
 */
const DOCUMENTS = 300;
const CONCURRENCY = 32;
const KILL_AFTER_ACKS = 150;

describe("a gateway process killed in the middle of a burst", () => {
  const dataDir = makeDataDir("jiexu-crash-");
  const processes: GatewayProcess[] = [];
  afterAll(async () => {
    for (const p of processes) await p.stop("SIGKILL").catch(() => undefined);
    removeDataDir(dataDir);
  });

  it("keeps every acknowledged document and no half-written state", async () => {
    const first = await startGatewayProcess({ dataDir });
    processes.push(first);
    const seal = agencySeal(dataDir, "330000");
    const run = `${process.pid}-${Date.now()}`;
    const burst = Array.from({ length: DOCUMENTS }, (_, i) =>
      seal.seal(contactLetter({ id: `LX-${run}-${i}`, caseId: `CASE-CRASH-${run}-${i}` })),
    );

    // When ~300 distinct sealed contact letters arrive 32 at a time and the process is SIGKILLed mid-burst
    const acknowledged = new Map<number, string>();
    let cursor = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && cursor < burst.length) {
        const i = cursor++;
        try {
          const res = await exchange(first.url, burst[i]!);
          if (res.status === 201 && !killed) acknowledged.set(i, res.text);
          else if (!killed) throw new Error(`unexpected ${res.status}: ${res.text}`);
        } catch (err) {
          if (!killed) throw err;
        }
        if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect((await first.stop("SIGKILL")).signal).toBe("SIGKILL");
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.size).toBeLessThan(DOCUMENTS);

    // Then after a restart every acknowledged document answers a replay with its original receipt
    const second = await startGatewayProcess({ dataDir });
    processes.push(second);
    const entries = [...acknowledged];
    const mismatches: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let e = entries.shift(); e; e = entries.shift()) {
          const [i, receipt] = e;
          const replay = await exchange(second.url, burst[i]!);
          if (replay.status !== 200 || replay.text !== receipt) mismatches.push(`#${i}: ${replay.status}`);
        }
      }),
    );
    expect(mismatches).toEqual([]);

    // and the file holds no half-written change: each case has exactly its events, each document its case
    const db = new Database(second.databasePath, { readonly: true, fileMustExist: true });
    try {
      const all = <T>(sql: string) => db.prepare(sql).all() as T[];
      expect(
        all(`SELECT c.case_id, c.version, count(e.version) AS events FROM cases c
                  LEFT JOIN case_events e ON e.agency_id = c.agency_id AND e.case_id = c.case_id
                  GROUP BY c.agency_id, c.case_id HAVING c.version != count(e.version)`),
      ).toEqual([]);
      expect(
        all(`SELECT d.document_id FROM documents d WHERE d.direction = 'in' AND NOT EXISTS
                  (SELECT 1 FROM cases c WHERE c.agency_id = d.owner_agency AND c.case_id = d.case_id)`),
      ).toEqual([]);
      expect(
        all(`SELECT c.case_id FROM cases c WHERE c.case_id LIKE 'CASE-CRASH-%' AND NOT EXISTS
                  (SELECT 1 FROM documents d WHERE d.owner_agency = c.agency_id AND d.case_id = c.case_id)`),
      ).toEqual([]);
      expect(all(`SELECT document_id FROM documents WHERE direction = 'in' AND receipt IS NULL`)).toEqual([]);
      const stored = all<{ n: number }>(`SELECT count(*) AS n FROM documents WHERE case_id LIKE 'CASE-CRASH-%'`)[0]!.n;
      expect(stored).toBeGreaterThanOrEqual(acknowledged.size);
    } finally {
      db.close();
    }
  }, 60_000);
});
