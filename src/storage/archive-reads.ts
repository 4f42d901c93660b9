import { and, asc, desc, eq, gte, sql } from "drizzle-orm";
import type {
  ArchiveEntryInput,
  ArchiveLeaf,
  ArchiveReader,
  CheckpointRecord,
  PeerCheckpointRecord,
} from "../usecases/ports.ts";
import { prepareArchiveRefs } from "./archive-refs.ts";
import type { SqliteDb } from "./connection.ts";
import { archiveLeaves, archiveNodes, checkpoints, peerCheckpoints } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

type LeafRow = typeof archiveLeaves.$inferSelect;
function toLeaf(r: LeafRow, entry: Uint8Array): ArchiveLeaf {
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
  const query = db
    .select({ n: sql<number | null>`max(${archiveLeaves.idx}) + 1` })
    .from(archiveLeaves)
    .prepare();
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
  const getNode = db
    .select({ hash: archiveNodes.hash })
    .from(archiveNodes)
    .where(and(eq(archiveNodes.level, p("level")), eq(archiveNodes.idx, p("idx"))))
    .prepare();
  const leavesFrom = db
    .select()
    .from(archiveLeaves)
    .where(gte(archiveLeaves.idx, p("from")))
    .orderBy(asc(archiveLeaves.idx))
    .limit(p("limit"))
    .prepare();
  const leafAt = db
    .select()
    .from(archiveLeaves)
    .where(eq(archiveLeaves.idx, p("idx")))
    .prepare();
  const leafByHash = db
    .select()
    .from(archiveLeaves)
    .where(eq(archiveLeaves.leafHash, p("hash")))
    .orderBy(asc(archiveLeaves.idx))
    .limit(1)
    .prepare();
  const caseLeaves = db
    .select()
    .from(archiveLeaves)
    .where(and(eq(archiveLeaves.ownerAgency, p("owner")), eq(archiveLeaves.caseId, p("caseId"))))
    .orderBy(asc(archiveLeaves.idx))
    .prepare();
  const latest = db.select().from(checkpoints).orderBy(desc(checkpoints.size)).limit(1).prepare();
  const bySize = db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.size, p("size")))
    .prepare();
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
    checkpoints: () =>
      read(() => db.select().from(checkpoints).orderBy(asc(checkpoints.size)).all() as CheckpointRecord[]),
    peerCheckpoints: (origin) =>
      read(
        () =>
          (origin
            ? db.select().from(peerCheckpoints).where(eq(peerCheckpoints.origin, origin))
            : db.select().from(peerCheckpoints)
          )
            .orderBy(asc(peerCheckpoints.origin), asc(peerCheckpoints.size))
            .all() as PeerCheckpointRecord[],
      ),
  };
}
