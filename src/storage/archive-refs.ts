import {
  headIfReferenced,
  headLength,
  isEntryHead,
  rebuildEntry,
  referencedKey,
  splitEntry,
  type SealedRow,
} from "../usecases/archive/index.ts";
import type { ArchiveEntryInput, ArchiveItem, StateChange } from "../usecases/ports.ts";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { SqliteDb } from "./connection.ts";
import { documents } from "./schema.ts";

/** One archive item of a change, ready to append: the whole entry (hashed, indexed) and the bytes stored. */
export interface ResolvedItem {
  input: ArchiveEntryInput;
  stored: Uint8Array;
}

/**
 * Archive leaves by reference to the documents row (issue 12 item 1; the format: usecases/archive/entry-refs.ts).
 * The writer keeps only an entry's head where the row is seen to hold the rest: a reference to a document
 * of the same change (inserted with exactly those bytes, or the change fails), or a whole entry whose
 * sealed bytes the row holds once the change's own writes are applied (read back in its transaction).
 * The row's canonical and seal are never updated and its receipt is written once (writes.ts), so what
 * it holds at commit it holds for good. Readers rebuild every head into the whole entry.
 */
export function prepareArchiveRefs(db: SqliteDb) {
  const p = (name: string) => sql.placeholder(name);
  // The documents_key: owner, direction, sender, id (the meta of an entry head names all four).
  const byDocumentKey = (): SQL | undefined =>
    and(
      eq(documents.ownerAgency, p("ownerAgency")),
      eq(documents.direction, p("direction")),
      eq(documents.fromAgency, p("from")),
      eq(documents.documentId, p("documentId")),
    );
  // Each kind reads only the columns its entry needs (a receipt needs no document nor seal).
  const documentRow = db
    .select({ canonical: documents.canonical, seal: documents.seal })
    .from(documents)
    .where(byDocumentKey())
    .prepare();
  const receiptRow = db.select({ receipt: documents.receipt }).from(documents).where(byDocumentKey()).prepare();

  const rowOf = (head: Uint8Array): SealedRow | undefined => {
    const ref = referencedKey(head);
    if (!ref) return undefined;
    return ref.kind === "document" ? documentRow.get({ ...ref.key }) : receiptRow.get({ ...ref.key });
  };

  function resolveItem(change: StateChange, item: ArchiveItem): ResolvedItem {
    if (!("entry" in item)) {
      const record = change.newDocuments?.[item.newDocument];
      if (!record) throw new Error(`archive item refers to newDocuments[${item.newDocument}], which is absent`);
      const { input, headLength } = splitEntry(item.kind, record);
      return { input, stored: input.entry.slice(0, headLength) };
    }
    if (item.kind !== "document" && item.kind !== "receipt") return { input: item, stored: item.entry };
    const length = headLength(item.entry);
    const row = length === undefined ? undefined : rowOf(item.entry.subarray(0, length));
    return { input: item, stored: (row && headIfReferenced(item.entry, row)) ?? item.entry };
  }

  return {
    /** The change's archive items, each whole and as it is to be stored; after the change's own writes. */
    resolve: (change: StateChange): ResolvedItem[] => (change.archive ?? []).map((item) => resolveItem(change, item)),
    /** Stored entry bytes as every reader gets them: a head rebuilt from its row, anything else as stored. */
    rebuild: (stored: Uint8Array): Uint8Array => (isEntryHead(stored) ? rebuildEntry(stored, rowOf(stored)) : stored),
  };
}
