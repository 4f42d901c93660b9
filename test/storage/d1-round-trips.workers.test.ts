import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import type { D1Database, D1Statement } from "../../src/storage/d1-sql.ts";
import { createD1Store } from "../../src/storage/d1-store.ts";
import { emptyD1 } from "./d1-fixtures.ts";
import { step } from "./store-contract-changes.ts";

/**
 * env.DB, noting for every query its round trip's depth: 1 + the deepest query that had already answered when it
 * was sent. Queries sent together share a depth; a query sent only once another answered comes one deeper. So
 * the batch's depth is how many round trips a commit waits for in turn — from a Worker far from D1's primary,
 * each of them is a network round trip.
 */
function depthRecorder(db: D1Database) {
  let answered = 0;
  const reads: number[] = [];
  const batches: number[] = [];
  const real = new WeakMap<D1Statement, D1Statement>();
  /** Sends a query at its depth, noted in `log`; its answer deepens what later queries wait behind. */
  const sent = <T>(log: number[], run: () => Promise<T>) => {
    const depth = answered + 1;
    log.push(depth);
    return run().then((value) => {
      answered = Math.max(answered, depth);
      return value;
    });
  };
  const wrap = (statement: D1Statement): D1Statement => {
    const read =
      <K extends "raw" | "first" | "run" | "all">(method: K) =>
      () =>
        sent(reads, () => (statement as never as Record<K, () => Promise<never>>)[method].call(statement));
    const wrapped = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      raw: read("raw"),
      first: read("first"),
      run: read("run"),
      all: read("all"),
    } as D1Statement;
    real.set(wrapped, statement);
    return wrapped;
  };
  const recorded: D1Database = {
    prepare: (sql) => wrap(db.prepare(sql)),
    batch: (statements) => sent(batches, () => db.batch(statements.map((s) => real.get(s) ?? s))),
  };
  return {
    db: recorded,
    /** The depths since the last call, and start counting afresh from the answers so far. */
    take(): { reads: number[]; batches: number[] } {
      const taken = { reads: reads.splice(0), batches: batches.splice(0) };
      answered = 0;
      return taken;
    },
  };
}

describe("D1 store: round trips a commit waits for in turn (workerd)", () => {
  beforeEach(emptyD1);

  it("reads the log's size and the case's index and status together: the batch goes out third", async () => {
    const recorder = depthRecorder(env.DB as unknown as D1Database);
    const store = createD1Store(recorder.db, { archiveHasher: rfc6962Hasher });
    await store.commit(step("case-rt", 0, "a"));
    recorder.take();

    // The case's next step: it writes the case, so only the log's size and the case's index are read.
    await store.commit(step("case-rt", 1, "b"));
    const written = recorder.take();
    expect(written.batches).toEqual([3]);
    expect(Math.max(...written.reads)).toBe(2);

    // A document of the case that does not write the case: its stored status is read too, beside the index.
    const { caseWrite: _, ...documentOnly } = step("case-rt", 2, "c");
    await store.commit(documentOnly);
    const read = recorder.take();
    expect(read.batches).toEqual([3]);
    expect(read.reads.filter((depth) => depth === 1).length).toBeGreaterThanOrEqual(3);
  });
});
