import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CompactRange,
  assembleProof,
  inclusionPlan,
  planNodeIds,
  verifyInclusion,
  type NodeReader,
} from "../src/domain/archive/index.ts";
import { rfc6962Hasher as h } from "../src/pki/merkle-hasher.ts";
import { configureSqlite, migrateSqlite } from "../src/storage/connection.ts";
import { createSqliteStore } from "../src/storage/sqlite-store.ts";
import type { ArchiveEntryInput } from "../src/usecases/ports.ts";
import { emit } from "./measure.ts";

/**
 * The archive log as the gateway stores it (issue 6 acceptance): 1,000,000 leaves appended through
 * `store.commit` in batches (durable, synchronous=FULL: leaf rows and every completed subtree hash),
 * against the same appends into an in-memory frontier; then inclusion proofs read from the stored
 * subtree hashes at 1,000,000 leaves, against the raw point reads of the same nodes.
 */
const LEAVES = 1_000_000;
const BATCH = 2_000;
const PROOFS = 20_000;

function entries(start: number): ArchiveEntryInput[] {
  return Array.from({ length: BATCH }, (_, k) => ({
    kind: "document",
    ownerAgency: "440000",
    caseId: `case-${(start + k) >> 4}`,
    documentId: `doc-${start + k}`,
    recordedAt: "2026-11-28T00:00:00.000Z",
    entry: new TextEncoder().encode(`{"meta":{"documentId":"doc-${start + k}"},"sealed":{}}`),
  }));
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "jiexu-bench-archive-"));
  try {
    const sqlite = new Database(join(dir, "archive.db"));
    configureSqlite(sqlite);
    migrateSqlite(sqlite);
    const store = createSqliteStore(sqlite, { archiveHasher: h });

    let range = CompactRange.empty(h);
    let t = performance.now();
    for (let i = 0; i < LEAVES; i += BATCH) range = range.appendBatch(entries(i).map((e) => h.hashLeaf(e.entry))).range;
    const inMemory = LEAVES / ((performance.now() - t) / 1000);

    t = performance.now();
    for (let i = 0; i < LEAVES; i += BATCH) await store.commit({ archive: entries(i) });
    const stored = LEAVES / ((performance.now() - t) / 1000);
    emit({
      bench: "archive-append-stored-1m",
      value: Math.round(stored),
      unit: "leaves/s",
      baseline: Math.round(inMemory),
      ratio: Number((stored / inMemory).toFixed(3)),
    });

    const size = await store.archive.size();
    const root = range.root();
    const indexes = Array.from({ length: PROOFS }, (_, i) =>
      Math.floor((((i * 2654435761) % 2 ** 32) / 2 ** 32) * size),
    );
    const readNode = sqlite.prepare("SELECT hash FROM archive_nodes WHERE level = ? AND idx = ?").pluck();
    t = performance.now();
    for (const index of indexes)
      for (const id of planNodeIds(inclusionPlan(index, size))) readNode.get(id.level, id.index);
    const rawReads = PROOFS / ((performance.now() - t) / 1000);

    t = performance.now();
    for (const index of indexes) {
      const plan = inclusionPlan(index, size);
      const ids = planNodeIds(plan);
      const hashes = await store.archive.nodes(ids);
      const map = new Map(ids.map((id, k) => [`${id.level}/${id.index}`, hashes[k]]));
      const reader: NodeReader = { getNode: (l, x) => map.get(`${l}/${x}`) };
      const proof = assembleProof(h, plan, reader);
      if (index === indexes[0])
        verifyInclusion(h, index, size, (await store.archive.nodes([{ level: 0, index }]))[0]!, proof, root);
    }
    const proofs = PROOFS / ((performance.now() - t) / 1000);
    emit({
      bench: "archive-inclusion-proof-stored-1m",
      value: Math.round(proofs),
      unit: "proofs/s",
      baseline: Math.round(rawReads),
      ratio: Number((proofs / rawReads).toFixed(3)),
    });
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
