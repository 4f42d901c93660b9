import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStoreAt } from "./fixtures.ts";

const writer = join(import.meta.dirname, "crash-writer.ts");

/** Runs crash-writer.ts until it has acknowledged `acks` commits (or `ms` passed), then SIGKILLs it. */
function runAndKill(path: string, acks: number, ms: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", writer, path], { stdio: ["ignore", "pipe", "pipe"] });
    const acked = new Map<string, number>();
    let buffered = "";
    let stderr = "";
    const kill = () => child.kill("SIGKILL");
    const timer = setTimeout(kill, ms);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const [tag, id, seq] = line.split(" ");
        if (tag === "ack") acked.set(id!, Number(seq));
      }
      if (acked.size >= acks) kill();
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("exit", (_code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") resolve(acked);
      else reject(new Error(`writer exited on its own: ${stderr}`));
    });
  });
}

describe("durability", () => {
  describe("when the writer is SIGKILLed in the middle of a burst", () => {
    it("keeps every acknowledged document and no half-written change", async () => {
      const dir = mkdtempSync(join(tmpdir(), "jiexu-crash-"));
      const path = join(dir, "gateway.db");
      try {
        const acked = await runAndKill(path, 3000, 8000);
        expect(acked.size).toBeGreaterThan(100);

        // Reopening runs WAL recovery; the store's own reads must see every acknowledged document.
        const store = openStoreAt(path);
        for (const [documentId, seq] of acked) {
          const doc = await store.getDocument({ ownerAgency: "330000", direction: "in", from: "440000", documentId });
          expect(doc?.seq, documentId).toBe(seq);
        }
        await store.close();

        const db = new Database(path, { readonly: true });
        expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
        // Snapshot and events agree: version = number of events = highest event version.
        const torn = db
          .prepare(`SELECT c.case_id FROM cases c LEFT JOIN case_events e USING (agency_id, case_id)
                    GROUP BY c.agency_id, c.case_id HAVING c.version != count(e.version) OR c.version != max(e.version)`)
          .all();
        expect(torn).toEqual([]);
        expect(
          db
            .prepare(
              "SELECT count(*) n FROM case_events e WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.agency_id = e.agency_id AND c.case_id = e.case_id)",
            )
            .get(),
        ).toEqual({ n: 0 });
        // Each committed step carried exactly one document, one delivery and one audit row.
        const totals = db
          .prepare(
            "SELECT (SELECT sum(version) FROM cases) v, (SELECT count(*) FROM documents) d, (SELECT count(*) FROM deliveries) l, (SELECT count(*) FROM audit_events) a",
          )
          .get() as Record<string, number>;
        expect(totals.d).toBe(totals.v);
        expect(totals.l).toBe(totals.v);
        expect(totals.a).toBe(totals.v);
        expect(totals.v).toBeGreaterThanOrEqual(acked.size);
        db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
