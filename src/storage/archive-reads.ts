import { sql } from "drizzle-orm";
import type {
  ArchiveEntryInput,
  ArchiveLeaf,
  ArchiveReader,
  CheckpointRecord,
  PeerCheckpointRecord,
} from "../usecases/ports.ts";
import {
  allCheckpoints,
  caseLeaves as caseLeavesQuery,
  checkpointBySize,
  latestCheckpoint,
  leafAt as leafAtQuery,
  leafByHash as leafByHashQuery,
  leavesFrom as leavesFromQuery,
  nodeAt,
  peerCheckpointsOf,
  storedSize,
} from "./archive-queries.ts";
import { prepareArchiveRefs } from "./archive-refs.ts";
import type { SqliteDb } from "./connection.ts";
import type { archiveLeaves } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

export type LeafRow = typeof archiveLeaves.$inferSelect;

export function toLeaf(r: LeafRow, entry: Uint8Array): ArchiveLeaf {
  const kind = r.kind as ArchiveEntryInput["kind"];
  return {
    index: r.idx,
    kind,
    ownerAgency: r.ownerAgency,
    caseId: r.caseId,
    documentId: r.documentId,
    recordedAt: r.recordedAt,
    entry,
    leafHash: r.leafHash,
  };
}

/** The log's size as stored: what a read-only connection beside a writer thread sees committed (WAL). */
export function committedSize(db: SqliteDb): () => number {
  const query = storedSize(db).prepare();
  return () => query.get()?.n ?? 0;
}

/**
 * Archive reads. `size` is the committed size (the writer's adopted frontier in process, the stored size
 * beside a writer thread), so readers never see a leaf of an open batch; the log is append-only, so
 * nodes and leaves below a size read once stay valid however far the writer has moved since. A leaf stored
 * by reference (archive-refs.ts) is read whole: its head rebuilt from the documents row, in the same read.
 */
export function archiveReader(db: SqliteDb, size: () => number, read: <T>(q: () => T) => Promise<T>): ArchiveReader {
  const refs = prepareArchiveRefs(db);
  const leafOf = (r: LeafRow) => toLeaf(r, refs.rebuild(r.entry));
  const getNode = nodeAt(db, p("level"), p("idx")).prepare();
  const leavesFrom = leavesFromQuery(db, p("from"), p("limit")).prepare();
  const leafAt = leafAtQuery(db, p("idx")).prepare();
  const leafByHash = leafByHashQuery(db, p("hash")).prepare();
  const caseLeaves = caseLeavesQuery(db, p("owner"), p("caseId")).prepare();
  const latest = latestCheckpoint(db).prepare();
  const bySize = checkpointBySize(db, p("size")).prepare();
  return {
    size: () => read(size),
    nodes: (ids) => read(() => ids.map((id) => getNode.get({ level: id.level, idx: id.index })?.hash)),
    leaves: (from, limit) =>
      read(() =>
        leavesFrom
          .all({ from, limit })
          .filter((r) => r.idx < size())
          .map(leafOf),
      ),
    leaf: (index) =>
      read(() => {
        const row = index < size() ? leafAt.get({ idx: index }) : undefined;
        return row && leafOf(row);
      }),
    leafByHash: (hash) =>
      read(() => {
        const row = leafByHash.get({ hash });
        return row && leafOf(row);
      }),
    caseLeaves: (owner, caseId) => read(() => caseLeaves.all({ owner, caseId }).map(leafOf)),
    latestCheckpoint: () => read(() => latest.get() as CheckpointRecord | undefined),
    checkpoint: (s) => read(() => bySize.get({ size: s }) as CheckpointRecord | undefined),
    checkpoints: () => read(() => allCheckpoints(db).all() as CheckpointRecord[]),
    peerCheckpoints: (origin) => read(() => peerCheckpointsOf(db, origin).all() as PeerCheckpointRecord[]),
  };
}
