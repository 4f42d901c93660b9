import { sql } from "drizzle-orm";
import { CompactRange, type LogHasher } from "../domain/archive/index.ts";
import type { StateChange } from "../usecases/ports.ts";
import { planAppend } from "./archive-append.ts";
import { prepareHotArchive } from "./archive-hot.ts";
import { insertCheckpoint, insertPeerCheckpoint, updateCheckpointNote } from "./archive-queries.ts";
import { prepareArchiveRefs } from "./archive-refs.ts";
import type { SqliteDb } from "./connection.ts";

const p = (name: string) => sql.placeholder(name);

/**
 * The archive log on SQLite (issue 6 item 1). The store keeps the append frontier (an RFC 9162
 * compact range) in memory; appends inside a change compute leaf and node hashes against a
 * tentative frontier, write leaves and every completed subtree, and the store adopts the frontier only
 * after its group commits (group-runner.ts) — so a leaf index exists only once its batch commits.
 *
 * The case-index leaves (archive-append.ts) are built here, inside the write transaction, from the case's
 * leaves already in the log (committed, or written by an earlier change of the same group) and the
 * change's own: computed any earlier, a concurrent batch's leaf could be missing from it. Those leaves are
 * the case's latest index's list plus any item leaf after it, so an append reads one index row, not the case.
 */
export function prepareArchive(db: SqliteDb, hasher: LogHasher | undefined) {
  const refs = prepareArchiveRefs(db);
  const hot = prepareHotArchive(db);
  const checkpointInsert = insertCheckpoint(db, {
    size: p("size"),
    rootHex: p("rootHex"),
    note: p("note"),
    at: p("at"),
  }).prepare();
  const peerInsert = insertPeerCheckpoint(db, {
    origin: p("origin"),
    size: p("size"),
    rootHex: p("rootHex"),
    note: p("note"),
    receivedAt: p("receivedAt"),
  }).prepare();
  const updateNote = updateCheckpointNote(db, p("size"), p("note")).prepare();
  // The case lookups read inside the write transaction, so what they see cannot change before COMMIT.
  const { lookup, readNode, storedSize } = hot;
  let frontier: CompactRange | undefined = hasher
    ? CompactRange.fromNodes(hasher, storedSize(), { getNode: readNode })
    : undefined;

  /** Write this change's archive rows; returns the indexes and the frontier to adopt if the change commits. */
  function apply(
    change: StateChange,
    tentative: CompactRange | undefined,
  ): { indexes: number[]; next: CompactRange | undefined } {
    const planned = planAppend(change, refs.resolve(change), tentative, hasher, lookup);
    for (const leaf of planned?.leaves ?? []) hot.insertLeaf(leaf);
    for (const n of planned?.nodes ?? []) hot.insertNode(n.level, n.index, n.hash);
    if (change.checkpoint) checkpointInsert.run({ ...change.checkpoint });
    for (const c of change.checkpointNotes ?? []) updateNote.run({ ...c });
    if (change.peerCheckpoint) peerInsert.run({ ...change.peerCheckpoint });
    return planned ? { indexes: planned.indexes, next: planned.next } : { indexes: [], next: tentative };
  }

  /**
   * The frontier to start a group from, read inside its write transaction: another process on the
   * same database (`jiexu archive export` beside `jiexu serve`) may have appended since this one was
   * loaded, and a stale frontier would write a second leaf at a taken index. One primary-key lookup
   * per group; the group's write lock keeps it true until COMMIT.
   */
  function current(): CompactRange | undefined {
    if (!hasher || !frontier) return frontier;
    const stored = storedSize();
    return stored === frontier.size ? frontier : CompactRange.fromNodes(hasher, stored, { getNode: readNode });
  }

  return {
    apply,
    current,
    frontier: () => frontier,
    adopt: (next: CompactRange | undefined) => void (frontier = next),
    readNode,
  };
}

export type ArchiveWrites = ReturnType<typeof prepareArchive>;
