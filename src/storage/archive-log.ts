import { and, asc, desc, eq, gt, ne, sql } from "drizzle-orm";
import { CompactRange, toHex, type LogHasher } from "../domain/archive/index.ts";
import { CASE_INDEX_KIND, caseIndexEntry, parseCaseIndex, type IndexedItem } from "../usecases/case-index.ts";
import type { ArchiveEntryInput, StateChange } from "../usecases/ports.ts";
import { prepareArchiveRefs } from "./archive-refs.ts";
import type { SqliteDb } from "./connection.ts";
import { archiveLeaves, archiveNodes, cases, checkpoints, peerCheckpoints } from "./schema.ts";

const p = (name: string) => sql.placeholder(name);

/**
 * The archive log on SQLite (issue 6 item 1). The store keeps the append frontier (an RFC 9162
 * compact range) in memory; appends inside a change compute leaf and node hashes against a
 * tentative frontier, write leaves and every completed subtree, and the frontier moves only when the
 * change's savepoint is released — so a leaf index exists only once its batch commits.
 *
 * After a change's items, one case-index leaf per (owner, case) they touch (issue 9 item 10), built
 * here, inside the write transaction, from the case's leaves already in the log (committed, or
 * written by an earlier change of the same group) and the change's own: computed any earlier, a
 * concurrent batch's leaf could be missing from it. SQLite only — it reads before it writes.
 * Those leaves are the case's latest index's list plus any item leaf after it (none, unless the
 * case was archived before indexes existed), so an append reads one index row, not the case.
 */
export function prepareArchive(db: SqliteDb, hasher: LogHasher | undefined) {
  const refs = prepareArchiveRefs(db);
  const insertLeaf = db
    .insert(archiveLeaves)
    .values({
      idx: p("idx"),
      kind: p("kind"),
      ownerAgency: p("ownerAgency"),
      caseId: p("caseId"),
      documentId: p("documentId"),
      recordedAt: p("recordedAt"),
      entry: p("entry"),
      leafHash: p("leafHash"),
    })
    .prepare();
  const insertNode = db
    .insert(archiveNodes)
    .values({ level: p("level"), idx: p("idx"), hash: p("hash") })
    .prepare();
  const insertCheckpoint = db
    .insert(checkpoints)
    .values({ size: p("size"), rootHex: p("rootHex"), note: p("note"), at: p("at") })
    .onConflictDoNothing()
    .prepare();
  const insertPeer = db
    .insert(peerCheckpoints)
    .values({
      origin: p("origin"),
      size: p("size"),
      rootHex: p("rootHex"),
      note: p("note"),
      receivedAt: p("receivedAt"),
    })
    .onConflictDoNothing()
    .prepare();
  const updateNote = db
    .update(checkpoints)
    .set({ note: sql`${p("note")}` })
    .where(eq(checkpoints.size, p("size")))
    .prepare();
  const getNode = db
    .select({ hash: archiveNodes.hash })
    .from(archiveNodes)
    .where(and(eq(archiveNodes.level, p("level")), eq(archiveNodes.idx, p("idx"))))
    .prepare();
  const sizeQuery = db
    .select({ n: sql<number | null>`max(${archiveLeaves.idx}) + 1` })
    .from(archiveLeaves)
    .prepare();
  const lastIndex = db
    .select({ idx: archiveLeaves.idx, entry: archiveLeaves.entry })
    .from(archiveLeaves)
    .where(
      and(
        eq(archiveLeaves.ownerAgency, p("owner")),
        eq(archiveLeaves.caseId, p("caseId")),
        eq(archiveLeaves.kind, CASE_INDEX_KIND),
      ),
    )
    .orderBy(desc(archiveLeaves.idx))
    .limit(1)
    .prepare();
  const itemsAfter = db
    .select({
      idx: archiveLeaves.idx,
      leafHash: archiveLeaves.leafHash,
      kind: archiveLeaves.kind,
      documentId: archiveLeaves.documentId,
    })
    .from(archiveLeaves)
    .where(
      and(
        eq(archiveLeaves.ownerAgency, p("owner")),
        eq(archiveLeaves.caseId, p("caseId")),
        ne(archiveLeaves.kind, CASE_INDEX_KIND),
        gt(archiveLeaves.idx, p("after")),
      ),
    )
    .orderBy(asc(archiveLeaves.idx))
    .prepare();
  const caseStatus = db
    .select({ status: cases.status })
    .from(cases)
    .where(and(eq(cases.agencyId, p("owner")), eq(cases.caseId, p("caseId"))))
    .prepare();

  const readNode = (level: number, index: number) => getNode.get({ level, idx: index })?.hash;
  const storedSize = () => sizeQuery.get()?.n ?? 0;
  let frontier: CompactRange | undefined = hasher
    ? CompactRange.fromNodes(hasher, storedSize(), { getNode: readNode })
    : undefined;

  /** Write this change's archive rows; returns the indexes and the frontier to adopt if the change commits. */
  function apply(
    change: StateChange,
    tentative: CompactRange | undefined,
  ): { indexes: number[]; next: CompactRange | undefined } {
    let next = tentative;
    const items = refs.resolve(change);
    if (items.length || change.indexCases?.length) {
      if (!hasher || !tentative)
        throw new Error("archive entries need a log hasher (createSqliteStore options.archiveHasher)");
      if (items.some((e) => e.input.kind === CASE_INDEX_KIND))
        throw new Error("the store appends case-index leaves itself");
      const entries = items.map((e) => e.input);
      const itemHashes = entries.map((e) => hasher.hashLeaf(e.entry));
      const indexes = caseIndexes(change, entries, itemHashes, tentative.size);
      const all = [...items, ...indexes.map((input) => ({ input, stored: input.entry }))];
      const leafHashes = [...itemHashes, ...indexes.map((e) => hasher.hashLeaf(e.entry))];
      const appended = tentative.appendBatch(leafHashes);
      for (const [i, { input, stored }] of all.entries())
        insertLeaf.run({ ...input, entry: stored, idx: appended.firstIndex + i, leafHash: leafHashes[i]! });
      for (const n of appended.nodes) insertNode.run({ level: n.level, idx: n.index, hash: n.hash });
      next = appended.range;
    }
    if (change.checkpoint) insertCheckpoint.run({ ...change.checkpoint });
    for (const c of change.checkpointNotes ?? []) updateNote.run({ ...c });
    if (change.peerCheckpoint) insertPeer.run({ ...change.peerCheckpoint });
    return { indexes: items.map((_, i) => (tentative?.size ?? 0) + i), next };
  }

  /** The case's item leaves in the log: its latest index's list (this store wrote it canonical) and any after it. */
  function priorItems(owner: string, caseId: string): IndexedItem[] {
    const last = lastIndex.get({ owner, caseId });
    const listed = last && parseCaseIndex(last.entry, { canonical: false });
    const known = typeof listed === "object" ? listed : undefined;
    const later = itemsAfter.all({ owner, caseId, after: known ? last!.idx : -1 }).map((r) => ({
      leafIndex: r.idx,
      leafHash: toHex(r.leafHash),
      kind: r.kind as IndexedItem["kind"],
      documentId: r.documentId,
    }));
    return [...(known?.items ?? []), ...later];
  }

  /** One index entry per (owner, case) the change touches, in order of first appearance. */
  function caseIndexes(
    change: StateChange,
    entries: ArchiveEntryInput[],
    itemHashes: Uint8Array[],
    first: number,
  ): ArchiveEntryInput[] {
    const touched = new Map<string, { ownerAgency: string; caseId: string; at: string }>();
    const keyOf = (owner: string, caseId: string) => JSON.stringify([owner, caseId]);
    for (const e of entries) {
      const key = keyOf(e.ownerAgency, e.caseId);
      const seen = touched.get(key);
      if (!seen || seen.at < e.recordedAt)
        touched.set(key, { ownerAgency: e.ownerAgency, caseId: e.caseId, at: e.recordedAt });
    }
    for (const c of change.indexCases ?? [])
      if (!touched.has(keyOf(c.ownerAgency, c.caseId))) touched.set(keyOf(c.ownerAgency, c.caseId), c);
    return [...touched.values()].map(({ ownerAgency, caseId, at }) => {
      const prior = priorItems(ownerAgency, caseId);
      const fresh: IndexedItem[] = entries.flatMap((e, i) =>
        e.ownerAgency === ownerAgency && e.caseId === caseId
          ? [
              {
                leafIndex: first + i,
                leafHash: toHex(itemHashes[i]!),
                kind: e.kind as IndexedItem["kind"],
                documentId: e.documentId,
              },
            ]
          : [],
      );
      // The change's own case write is what the row now holds: no need to read it back.
      const cw = change.caseWrite;
      const written = cw?.agencyId === ownerAgency && cw.caseId === caseId ? cw.state.status : undefined;
      const status = written ?? caseStatus.get({ owner: ownerAgency, caseId })?.status ?? null;
      return caseIndexEntry({ ownerAgency, caseId, status, recordedAt: at, items: [...prior, ...fresh] });
    });
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
