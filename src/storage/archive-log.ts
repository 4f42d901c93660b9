import { and, asc, desc, eq, gte, sql } from "drizzle-orm";
import { CompactRange, type LogHasher } from "../domain/archive/index.ts";
import type { ArchiveEntryInput, ArchiveLeaf, ArchiveReader, CheckpointRecord, PeerCheckpointRecord, StateChange } from "../usecases/ports.ts";
import type { SqliteDb } from "./connection.ts";
import { archiveLeaves, archiveNodes, checkpoints, peerCheckpoints } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

/**
 * The archive log on SQLite (issue 6 item 1). The store keeps the append frontier (an RFC 9162
 * compact range) in memory; appends inside a change compute leaf and node hashes against a
 * tentative frontier, write leaves and every completed subtree, and the frontier moves only when the
 * change's savepoint is released — so a leaf index exists only once its batch commits.
 */
export function prepareArchive(db: SqliteDb, hasher: LogHasher | undefined) {
  const insertLeaf = db
    .insert(archiveLeaves)
    .values({ idx: p("idx"), kind: p("kind"), ownerAgency: p("ownerAgency"), caseId: p("caseId"), documentId: p("documentId"), recordedAt: p("recordedAt"), entry: p("entry"), leafHash: p("leafHash") })
    .prepare();
  const insertNode = db.insert(archiveNodes).values({ level: p("level"), idx: p("idx"), hash: p("hash") }).prepare();
  const insertCheckpoint = db.insert(checkpoints).values({ size: p("size"), rootHex: p("rootHex"), note: p("note"), at: p("at") }).onConflictDoNothing().prepare();
  const insertPeer = db
    .insert(peerCheckpoints)
    .values({ origin: p("origin"), size: p("size"), rootHex: p("rootHex"), note: p("note"), receivedAt: p("receivedAt") })
    .onConflictDoNothing()
    .prepare();
  const updateNote = db.update(checkpoints).set({ note: sql`${p("note")}` }).where(eq(checkpoints.size, p("size"))).prepare();
  const getNode = db.select({ hash: archiveNodes.hash }).from(archiveNodes).where(and(eq(archiveNodes.level, p("level")), eq(archiveNodes.idx, p("idx")))).prepare();
  const sizeQuery = db.select({ n: sql<number | null>`max(${archiveLeaves.idx}) + 1` }).from(archiveLeaves).prepare();

  const readNode = (level: number, index: number) => getNode.get({ level, idx: index })?.hash;
  const storedSize = () => sizeQuery.get()?.n ?? 0;
  let frontier: CompactRange | undefined = hasher ? CompactRange.fromNodes(hasher, storedSize(), { getNode: readNode }) : undefined;

  /** Write this change's archive rows; returns the indexes and the frontier to adopt if the change commits. */
  function apply(change: StateChange, base: CompactRange | undefined): { indexes: number[]; next: CompactRange | undefined } {
    let next = base;
    const entries = change.archive ?? [];
    if (entries.length) {
      if (!hasher || !base) throw new Error("archive entries need a log hasher (createSqliteStore options.archiveHasher)");
      const leafHashes = entries.map((e) => hasher.hashLeaf(e.entry));
      const appended = base.appendBatch(leafHashes);
      entries.forEach((e, i) => insertLeaf.run({ ...e, idx: appended.firstIndex + i, leafHash: leafHashes[i]! }));
      for (const n of appended.nodes) insertNode.run({ level: n.level, idx: n.index, hash: n.hash });
      next = appended.range;
    }
    if (change.checkpoint) insertCheckpoint.run({ ...change.checkpoint });
    for (const c of change.checkpointNotes ?? []) updateNote.run({ ...c });
    if (change.peerCheckpoint) insertPeer.run({ ...change.peerCheckpoint });
    return { indexes: entries.map((_, i) => (base?.size ?? 0) + i), next };
  }

  return {
    apply,
    frontier: () => frontier,
    adopt: (next: CompactRange | undefined) => void (frontier = next),
    readNode,
  };
}

export type ArchiveWrites = ReturnType<typeof prepareArchive>;

type LeafRow = typeof archiveLeaves.$inferSelect;
function toLeaf(r: LeafRow): ArchiveLeaf {
  const kind = r.kind as ArchiveEntryInput["kind"];
  return { index: r.idx, kind, ownerAgency: r.ownerAgency, caseId: r.caseId, documentId: r.documentId, recordedAt: r.recordedAt, entry: r.entry, leafHash: r.leafHash };
}

/** Archive reads; the committed size comes from the adopted frontier, so readers never see a leaf of an open batch. */
export function archiveReader(db: SqliteDb, archive: ArchiveWrites, read: <T>(q: () => T) => Promise<T>): ArchiveReader {
  const leavesFrom = db.select().from(archiveLeaves).where(gte(archiveLeaves.idx, p("from"))).orderBy(asc(archiveLeaves.idx)).limit(p("limit")).prepare();
  const leafAt = db.select().from(archiveLeaves).where(eq(archiveLeaves.idx, p("idx"))).prepare();
  const leafByHash = db.select().from(archiveLeaves).where(eq(archiveLeaves.leafHash, p("hash"))).orderBy(asc(archiveLeaves.idx)).limit(1).prepare();
  const caseLeaves = db.select().from(archiveLeaves).where(and(eq(archiveLeaves.ownerAgency, p("owner")), eq(archiveLeaves.caseId, p("caseId")))).orderBy(asc(archiveLeaves.idx)).prepare();
  const latest = db.select().from(checkpoints).orderBy(desc(checkpoints.size)).limit(1).prepare();
  const bySize = db.select().from(checkpoints).where(eq(checkpoints.size, p("size"))).prepare();
  const size = () => archive.frontier()?.size ?? 0;
  return {
    size: () => read(size),
    nodes: (ids) => read(() => ids.map((id) => archive.readNode(id.level, id.index))),
    leaves: (from, limit) => read(() => leavesFrom.all({ from, limit }).filter((r) => r.idx < size()).map(toLeaf)),
    leaf: (index) => read(() => {
      const row = index < size() ? leafAt.get({ idx: index }) : undefined;
      return row && toLeaf(row);
    }),
    leafByHash: (hash) => read(() => {
      const row = leafByHash.get({ hash });
      return row && toLeaf(row);
    }),
    caseLeaves: (owner, caseId) => read(() => caseLeaves.all({ owner, caseId }).map(toLeaf)),
    latestCheckpoint: () => read(() => latest.get() as CheckpointRecord | undefined),
    checkpoint: (s) => read(() => bySize.get({ size: s }) as CheckpointRecord | undefined),
    checkpoints: () => read(() => db.select().from(checkpoints).orderBy(asc(checkpoints.size)).all() as CheckpointRecord[]),
    peerCheckpoints: (origin) =>
      read(() => (origin ? db.select().from(peerCheckpoints).where(eq(peerCheckpoints.origin, origin)) : db.select().from(peerCheckpoints)).orderBy(asc(peerCheckpoints.origin), asc(peerCheckpoints.size)).all() as PeerCheckpointRecord[]),
  };
}
