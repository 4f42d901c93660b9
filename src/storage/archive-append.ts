import { type CompactRange, type LogHasher, toHex } from "../domain/archive/index.ts";
import { CASE_INDEX_KIND, caseIndexEntry, parseCaseIndex, type IndexedItem } from "../usecases/case-index.ts";
import type { ArchiveEntryInput, StateChange } from "../usecases/ports.ts";
import type { ResolvedItem } from "./archive-refs.ts";

/**
 * One change's archive append, computed without touching storage (shared by the SQLite writer and D1):
 * the change's items, then one case-index leaf per (owner, case) they touch (issue 9 item 10), hashed
 * against `tentative`. The case-index leaves need what the log already holds of each case, which the
 * adapter reads (`CaseLookup`): SQLite inside its write transaction, D1 before its batch (d1-commit.ts).
 */

/** A touched case: the owner, the case and when its index is dated. */
export type TouchedCase = { ownerAgency: string; caseId: string; at: string };

/** What the log and the cases table hold of a touched case, read by the adapter. */
export interface CaseLookup {
  /** The case's latest case-index leaf, if any. */
  lastIndex(owner: string, caseId: string): { idx: number; entry: Uint8Array } | undefined;
  /** The case's item leaves after leaf `after` (-1: all). */
  itemsAfter(owner: string, caseId: string, after: number): IndexedItem[];
  /** The case row's status (null: no row). */
  status(owner: string, caseId: string): string | null;
}

export interface PlannedAppend {
  leaves: (ArchiveEntryInput & { stored: Uint8Array; idx: number; leafHash: Uint8Array })[];
  nodes: { level: number; index: number; hash: Uint8Array }[];
  /** The items' leaf indexes (what the commit reports). */
  indexes: number[];
  next: CompactRange;
}

/** The (owner, case) pairs the change's items and `indexCases` touch, in order of first appearance. */
export function touchedCases(change: StateChange, entries: ArchiveEntryInput[]): TouchedCase[] {
  const touched = new Map<string, TouchedCase>();
  // Injective (the owner's length fixes where it ends) and cheaper than a JSON key, per change on the writer.
  const keyOf = (owner: string, caseId: string) => `${owner.length}:${owner}${caseId}`;
  for (const e of entries) {
    const key = keyOf(e.ownerAgency, e.caseId);
    const seen = touched.get(key);
    if (!seen || seen.at < e.recordedAt)
      touched.set(key, { ownerAgency: e.ownerAgency, caseId: e.caseId, at: e.recordedAt });
  }
  for (const c of change.indexCases ?? [])
    if (!touched.has(keyOf(c.ownerAgency, c.caseId))) touched.set(keyOf(c.ownerAgency, c.caseId), c);
  return [...touched.values()];
}

/** The change's own case write is what the row will hold: no need to read it back. */
export function writtenStatus(change: StateChange, owner: string, caseId: string): string | undefined {
  const cw = change.caseWrite;
  return cw?.agencyId === owner && cw.caseId === caseId ? cw.state.status : undefined;
}

/** The items a case's latest index lists (this store wrote it canonical), and the leaf to read items after. */
export function listedItems(last: { idx: number; entry: Uint8Array } | undefined): {
  items: IndexedItem[];
  after: number;
} {
  const listed = last && parseCaseIndex(last.entry, { canonical: false });
  return typeof listed === "object" ? { items: listed.items, after: last!.idx } : { items: [], after: -1 };
}

/** The case's item leaves in the log: its latest index's list and any after it. */
function priorItems(lookup: CaseLookup, owner: string, caseId: string): IndexedItem[] {
  const listed = listedItems(lookup.lastIndex(owner, caseId));
  return [...listed.items, ...lookup.itemsAfter(owner, caseId, listed.after)];
}

/** Plans the append of `items` and the case indexes they call for, or undefined when there is nothing to append. */
export function planAppend(
  change: StateChange,
  items: ResolvedItem[],
  tentative: CompactRange | undefined,
  hasher: LogHasher | undefined,
  lookup: CaseLookup,
): PlannedAppend | undefined {
  if (!items.length && !change.indexCases?.length) return undefined;
  if (!hasher || !tentative)
    throw new Error("archive entries need a log hasher (createSqliteStore options.archiveHasher)");
  if (items.some((e) => e.input.kind === CASE_INDEX_KIND))
    throw new Error("the store appends case-index leaves itself");
  const entries = items.map((e) => e.input);
  const itemHashes = entries.map((e) => hasher.hashLeaf(e.entry));
  const first = tentative.size;
  const indexes = touchedCases(change, entries).map(({ ownerAgency, caseId, at }) => {
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
    const status = writtenStatus(change, ownerAgency, caseId) ?? lookup.status(ownerAgency, caseId);
    const prior = priorItems(lookup, ownerAgency, caseId);
    return caseIndexEntry({ ownerAgency, caseId, status, recordedAt: at, items: [...prior, ...fresh] });
  });
  const all = [...items, ...indexes.map((input) => ({ input, stored: input.entry }))];
  const leafHashes = [...itemHashes, ...indexes.map((e) => hasher.hashLeaf(e.entry))];
  const appended = tentative.appendBatch(leafHashes);
  return {
    // The fields named, not `...input`: a spread of the entries' mixed shapes was ≈ 4 % of the writer (issue 12).
    leaves: all.map(({ input: { kind, ownerAgency, caseId, documentId, recordedAt, entry }, stored }, i) => ({
      kind,
      ownerAgency,
      caseId,
      documentId,
      recordedAt,
      entry,
      stored,
      idx: appended.firstIndex + i,
      leafHash: leafHashes[i]!,
    })),
    nodes: appended.nodes,
    indexes: items.map((_, i) => first + i),
    next: appended.range,
  };
}
