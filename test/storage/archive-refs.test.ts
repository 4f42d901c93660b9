import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { startWriterThread } from "../../src/runtime/writer-thread.ts";
import { configureSqlite } from "../../src/storage/connection.ts";
import { createSqliteStore } from "../../src/storage/sqlite-store.ts";
import { documentEntry, documentLeaf, receiptEntry, receiptLeaf } from "../../src/usecases/archive/index.ts";
import type { ArchiveLeaf, DocumentRecord, StateChange } from "../../src/usecases/ports.ts";
import { caseEvent, caseState, documentRecord, openTempStore } from "./fixtures.ts";

/**
 * Archive leaves stored by reference to the documents row (issue 12 item 1 acceptance): what a reader
 * gets back is byte for byte the entry the log appended, its hash the leaf hash, while the row stores
 * only the entry's head; an entry stored whole (an older database, or no row to refer to) reads unchanged.
 */
const AT = "2026-03-02T08:00:00.000Z";
const LATER = "2026-03-02T08:05:00.000Z";
// Multi-byte text and escapes in the sealed bytes: the rebuild must not re-encode them.
const canonical = new TextEncoder().encode('{"body":{"name":"张三","note":"a\\"b"},"id":"doc-1","jiexu":1}');
const receiptOf = (id: string) => `{"document":{"id":"rcpt-${id}","note":"回执"},"seal":"TUlJQg=="}`;

function inbound(documentId: string): DocumentRecord {
  return documentRecord({ documentId, canonical, receipt: receiptOf(documentId) });
}

function outbound(documentId: string): DocumentRecord {
  return documentRecord({
    ownerAgency: "440000",
    direction: "out",
    from: "440000",
    to: "330000",
    documentId,
    canonical,
    state: "queued",
  });
}

/** A received document: case step, row with our receipt, and both leaves by reference (as receive.ts). */
function received(record: DocumentRecord): StateChange {
  return {
    caseWrite: {
      agencyId: "330000",
      caseId: "case-1",
      expectedVersion: 0,
      state: caseState("case-1"),
      events: [caseEvent("case-1")],
      at: AT,
    },
    newDocuments: [record],
    archive: [documentLeaf(), receiptLeaf()],
  };
}

/** The peer's receipt for an outbound document, as dispatch.ts archives it: a whole entry beside the row update. */
function delivered(record: DocumentRecord, receipt: string): StateChange {
  const key = {
    ownerAgency: record.ownerAgency,
    direction: record.direction,
    from: record.from,
    documentId: record.documentId,
  };
  return { documentUpdates: [{ key, state: "delivered", receipt }], archive: [receiptEntry(record, receipt, LATER)] };
}

const stored = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT idx, kind, entry FROM archive_leaves ORDER BY idx").all() as {
      idx: number;
      kind: string;
      entry: Buffer;
    }[];
  } finally {
    db.close();
  }
};

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function expectLeaf(leaf: ArchiveLeaf | undefined, entry: Uint8Array) {
  expect(leaf).toBeDefined();
  expect(text(leaf!.entry)).toBe(text(entry));
  expect(Buffer.from(leaf!.entry).equals(Buffer.from(entry))).toBe(true);
  expect(Buffer.from(rfc6962Hasher.hashLeaf(leaf!.entry)).equals(Buffer.from(leaf!.leafHash))).toBe(true);
}

describe("archive leaves stored by reference (issue 12 item 1)", () => {
  it("reads back the exact entries appended, inbound and outbound, keeping only heads", async () => {
    const { store, path, dispose } = openTempStore();
    try {
      const doc = inbound("doc-1");
      const out = outbound("out-1");
      await store.commit(received(doc));
      await store.commit({ newDocuments: [out], archive: [documentLeaf()] });
      await store.commit(delivered(out, receiptOf("out-1")));
      const leaves = (await store.archive.leaves(0, 100)).filter((l) => l.kind !== "case-index");
      const expected = [
        documentEntry(doc).entry,
        receiptEntry(doc, doc.receipt!, doc.recordedAt).entry,
        documentEntry(out).entry,
        receiptEntry(out, receiptOf("out-1"), LATER).entry,
      ];
      expect(leaves.map((l) => l.kind)).toEqual(["document", "receipt", "document", "receipt"]);
      for (const [i, leaf] of leaves.entries()) expectLeaf(leaf, expected[i]!);
      // Every other way to a leaf rebuilds it too.
      for (const leaf of leaves) {
        expectLeaf(await store.archive.leaf(leaf.index), leaf.entry);
        expectLeaf(await store.archive.leafByHash(leaf.leafHash), leaf.entry);
      }
      const inCase = (await store.archive.caseLeaves("330000", "case-1")).filter((l) => l.kind !== "case-index");
      expect(inCase.map((l) => text(l.entry))).toEqual(expected.slice(0, 2).map(text));

      const rows = stored(path).filter((r) => r.kind !== "case-index");
      for (const [i, row] of rows.entries()) {
        expect(row.entry.toString()).toMatch(/^\{"meta":\{.*\},"sealed":$/);
        expect(expected[i]!.subarray(0, row.entry.length)).toEqual(new Uint8Array(row.entry));
      }
    } finally {
      await dispose();
    }
  });

  it("keeps whole an entry whose sealed bytes no row holds, and reads whole entries of an older database unchanged", async () => {
    const { store, path, dispose } = openTempStore();
    try {
      const orphan = receiptEntry(outbound("gone"), receiptOf("gone"), LATER);
      const doc = inbound("doc-2");
      // A receipt whose row carries another receipt: not the same bytes, so not a reference.
      const mismatched = receiptEntry(doc, receiptOf("other"), LATER);
      await store.commit({ newDocuments: [doc], archive: [documentEntry(doc), mismatched, orphan] });
      const rows = stored(path).filter((r) => r.kind !== "case-index");
      expect(rows.map((r) => r.entry.toString().endsWith("}"))).toEqual([false, true, true]);
      const leaves = (await store.archive.leaves(0, 100)).filter((l) => l.kind !== "case-index");
      expectLeaf(leaves[0], documentEntry(doc).entry);
      expectLeaf(leaves[1], mismatched.entry);
      expectLeaf(leaves[2], orphan.entry);

      // An older database's row: the whole entry of a document whose row exists, stored before references.
      const db = new Database(path);
      configureSqlite(db);
      db.prepare("UPDATE archive_leaves SET entry = ? WHERE idx = ?").run(
        Buffer.from(documentEntry(doc).entry),
        leaves[0]!.index,
      );
      db.close();
      expectLeaf(await store.archive.leaf(leaves[0]!.index), documentEntry(doc).entry);
    } finally {
      await dispose();
    }
  });

  it("records a document's transport receipt once, so the leaf that refers to it keeps rebuilding", async () => {
    const { store, dispose } = openTempStore();
    try {
      const out = outbound("out-2");
      await store.commit({ newDocuments: [out], archive: [documentLeaf()] });
      await store.commit(delivered(out, receiptOf("out-2")));
      // A second, different receipt (a peer misbehaving on a re-send) neither replaces the first nor breaks its leaf.
      await store.commit(delivered(out, receiptOf("again")));
      expect(
        (await store.getDocument({ ownerAgency: "440000", direction: "out", from: "440000", documentId: "out-2" }))
          ?.receipt,
      ).toBe(receiptOf("out-2"));
      const receipts = (await store.archive.leaves(0, 100)).filter((l) => l.kind === "receipt");
      expectLeaf(receipts[0], receiptEntry(out, receiptOf("out-2"), LATER).entry);
      expectLeaf(receipts[1], receiptEntry(out, receiptOf("again"), LATER).entry);
    } finally {
      await dispose();
    }
  });

  it("refuses a reference to a document the change does not carry, writing nothing", async () => {
    const { store, dispose } = openTempStore();
    try {
      await expect(store.commit({ archive: [documentLeaf(1)] })).rejects.toThrow(/newDocuments\[1\]/);
      const unreceipted = documentRecord({ documentId: "doc-9" });
      await expect(store.commit({ newDocuments: [unreceipted], archive: [receiptLeaf()] })).rejects.toThrow(
        /no receipt/,
      );
      expect(
        await store.getDocument({ ownerAgency: "330000", direction: "in", from: "440000", documentId: "doc-9" }),
      ).toBeUndefined();
      expect(await store.archive.size()).toBe(0);
    } finally {
      await dispose();
    }
  });

  it("builds the entries on the writer thread from the references it receives", async () => {
    const temp = openTempStore();
    await temp.store.close();
    const writer = await startWriterThread({ path: temp.path });
    const sqlite = new Database(temp.path);
    configureSqlite(sqlite);
    const store = createSqliteStore(sqlite, { archiveHasher: rfc6962Hasher, writer });
    try {
      const doc = inbound("doc-3");
      const { archiveIndexes } = await store.commit(received(doc));
      expectLeaf(await store.archive.leaf(archiveIndexes[0]!), documentEntry(doc).entry);
      expectLeaf(await store.archive.leaf(archiveIndexes[1]!), receiptEntry(doc, doc.receipt!, doc.recordedAt).entry);
      expect(stored(temp.path)[0]!.entry.toString()).toMatch(/,"sealed":$/);
    } finally {
      await store.close();
      await temp.dispose();
    }
  });
});
