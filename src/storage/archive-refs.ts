import {
  headIfReferenced,
  headLength,
  isEntryHead,
  rebuildEntry,
  referencedKey,
  splitEntry,
  type SealedRow,
} from "../usecases/archive/index.ts";
import type { ArchiveEntryInput, ArchiveItem, DocumentKey, StateChange } from "../usecases/ports.ts";
import { and, eq, sql } from "drizzle-orm";
import type { SqliteDb } from "./connection.ts";
import type { AnyDb, Param } from "./queries.ts";
import { documents } from "./schema.ts";

/** One archive item of a change, ready to append: the whole entry (hashed, indexed) and the bytes stored. */
export interface ResolvedItem {
  input: ArchiveEntryInput;
  stored: Uint8Array;
}

type KeyParams = { [K in keyof DocumentKey]: Param<string> };

/** A document entry's columns: its bytes, or where the blob store keeps them (D1 with R2, blob-store.ts). */
export type SealedColumns = SealedRow & { canonicalBlob?: string | null; sealBlob?: string | null };

/** The documents row an entry head refers to: each kind reads only the columns its entry needs. */
export function sealedRowQuery(db: AnyDb, kind: "document" | "receipt", key: KeyParams) {
  const where = documentKeyWhere(key);
  const { canonical, seal, canonicalBlob, sealBlob } = documents;
  return kind === "document"
    ? db.select({ canonical, seal, canonicalBlob, sealBlob }).from(documents).where(where)
    : db.select({ receipt: documents.receipt }).from(documents).where(where);
}

/**
 * The row as an entry can be rebuilt from, without a blob store: none when its bytes are elsewhere (never on
 * SQLite), so the head comes back unrebuilt and the audit reports the entry unreadable — not a wrong entry.
 */
function heldInRow(row: SealedColumns | undefined): SealedRow | undefined {
  return row?.canonicalBlob || row?.sealBlob ? undefined : row;
}

function documentKeyWhere(key: KeyParams) {
  // The documents_key: owner, direction, sender, id (the meta of an entry head names all four).
  return and(
    eq(documents.ownerAgency, key.ownerAgency),
    eq(documents.direction, key.direction as Param<"in" | "out">),
    eq(documents.fromAgency, key.from),
    eq(documents.documentId, key.documentId),
  );
}

/**
 * A change's archive items, each whole and as it is to be stored. A reference to a document of the same
 * change is stored as its head (the row is inserted with exactly those bytes, or the change fails); a whole
 * entry is stored as its head only where `rowOf` (read after the change's own writes) shows the row holds
 * the rest. Without `rowOf` (D1, which cannot read inside its batch) whole entries are stored whole.
 */
export function resolveItems(change: StateChange, rowOf?: (head: Uint8Array) => SealedRow | undefined): ResolvedItem[] {
  return (change.archive ?? []).map((item: ArchiveItem): ResolvedItem => {
    if (!("entry" in item)) {
      const record = change.newDocuments?.[item.newDocument];
      if (!record) throw new Error(`archive item refers to newDocuments[${item.newDocument}], which is absent`);
      const { input, headLength } = splitEntry(item.kind, record);
      return { input, stored: input.entry.slice(0, headLength) };
    }
    if (!rowOf || (item.kind !== "document" && item.kind !== "receipt")) return { input: item, stored: item.entry };
    const length = headLength(item.entry);
    const row = length === undefined ? undefined : rowOf(item.entry.subarray(0, length));
    return { input: item, stored: (row && headIfReferenced(item.entry, row)) ?? item.entry };
  });
}

/**
 * Archive leaves by reference to the documents row (issue 12 item 1; the format: usecases/archive/entry-refs.ts).
 * The writer keeps only an entry's head where the row is seen to hold the rest (resolveItems). The row's
 * canonical and seal are never updated and its receipt is written once (write-sql.ts), so what it holds at
 * commit it holds for good. Readers rebuild every head into the whole entry.
 */
export function prepareArchiveRefs(db: SqliteDb) {
  const p = (name: string) => sql.placeholder(name);
  const key = {
    ownerAgency: p("ownerAgency"),
    direction: p("direction"),
    from: p("from"),
    documentId: p("documentId"),
  };
  const documentRow = sealedRowQuery(db, "document", key).prepare();
  const receiptRow = sealedRowQuery(db, "receipt", key).prepare();

  const rowOf = (head: Uint8Array): SealedRow | undefined => {
    const ref = referencedKey(head);
    if (!ref) return undefined;
    return ref.kind === "document" ? heldInRow(documentRow.get({ ...ref.key })) : receiptRow.get({ ...ref.key });
  };

  return {
    /** The change's archive items, each whole and as it is to be stored; after the change's own writes. */
    resolve: (change: StateChange): ResolvedItem[] => resolveItems(change, rowOf),
    /** Stored entry bytes as every reader gets them: a head rebuilt from its row, anything else as stored. */
    rebuild: (stored: Uint8Array): Uint8Array => (isEntryHead(stored) ? rebuildEntry(stored, rowOf(stored)) : stored),
  };
}
