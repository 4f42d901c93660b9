import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { rfc6962Hasher } from "../../src/pki/merkle-hasher.ts";
import { createD1Store, type D1StoreOptions } from "../../src/storage/d1-store.ts";
import { documentEntry, documentLeaf, receiptLeaf } from "../../src/usecases/archive/index.ts";
import type { DocumentRecord, StateChange } from "../../src/usecases/ports.ts";
import { emptyD1 } from "./d1-fixtures.ts";
import { caseEvent, caseState, documentRecord } from "./fixtures.ts";

/**
 * Document bytes too large for a D1 row go to R2 (issue 14 item 1): with a small inline limit the row keeps
 * none of them, R2 holds them under their digest, and every read gives back the same bytes; a missing object
 * fails the read with a code, and without a bucket a row D1 would refuse is refused first, nothing written.
 */
const AT = "2026-03-02T08:00:00.000Z";
const KEY = { ownerAgency: "330000", direction: "in" as const, from: "440000", documentId: "doc-big" };

const hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");

/** A document of `size` canonical bytes (multi-byte text included) and a 3 KB seal, with their true digests. */
async function bigDocument(size: number, documentId = KEY.documentId): Promise<DocumentRecord> {
  const head = `{"body":{"note":"张三 a\\"b","pad":"`;
  const canonical = new TextEncoder().encode(`${head}${"x".repeat(size - head.length - 4 - 8)}"},"id":1}`);
  const seal = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff);
  return documentRecord({
    documentId,
    canonical,
    seal,
    documentSha256: await hex(canonical),
    sealSha256: await hex(seal),
    receipt: `{"document":{"id":"rcpt-${documentId}"},"seal":"TUlJQg=="}`,
  });
}

/** As receive.ts commits an arrival: the case step, the row, and both leaves by reference. */
function received(record: DocumentRecord): StateChange {
  const caseWrite = { agencyId: "330000", caseId: "case-1", expectedVersion: 0, at: AT };
  return {
    caseWrite: { ...caseWrite, state: caseState("case-1"), events: [caseEvent("case-1")] },
    newDocuments: [record],
    archive: [documentLeaf(), receiptLeaf()],
    audit: [{ at: AT, kind: "document.received", agencyId: "330000", caseId: "case-1", documentId: record.documentId }],
  };
}

const storeWith = (options: Partial<D1StoreOptions> = {}) =>
  createD1Store(env.DB, { archiveHasher: rfc6962Hasher, blobs: env.SEALED, inlineLimit: 1024, ...options });

const row = () =>
  env.DB.prepare(
    "SELECT length(canonical) AS canonicalLength, length(seal) AS sealLength, canonical_blob AS canonicalBlob, seal_blob AS sealBlob FROM documents WHERE document_id = ?",
  )
    .bind(KEY.documentId)
    .first<{ canonicalLength: number; sealLength: number; canonicalBlob: string | null; sealBlob: string | null }>();

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

const same = (a: Uint8Array | undefined, b: Uint8Array) => expect(a && [...a].join()).toBe([...b].join());

describe("D1 with R2 for document bytes too large for a row", () => {
  beforeEach(emptyD1);

  it("bounds an inbox page by the bytes it carries, and the next page picks up where it stopped", async () => {
    const store = storeWith({ inboxPageBytes: 100_000 });
    for (const n of [1, 2, 3, 4]) await store.commit({ newDocuments: [await bigDocument(40_000, `doc-page-${n}`)] });
    // 43 KB a row: the page stops after the row that passes 100 KB (the third), never empty.
    const first = await store.inbox("330000", 0, 200);
    expect(first.map((r) => r.documentId)).toEqual(["doc-page-1", "doc-page-2", "doc-page-3"]);
    const second = await store.inbox("330000", first.at(-1)!.seq!, 200);
    expect(second.map((r) => r.documentId)).toEqual(["doc-page-4"]);
    expect((await store.pendingInbox("330000", 200)).length).toBe(3);
    // Without the bound every row comes back.
    expect((await storeWith().inbox("330000", 0, 200)).length).toBe(4);
  });

  it("keeps bytes above the inline limit in R2 only and reads them back byte for byte", async () => {
    const store = storeWith();
    const doc = await bigDocument(40_000);
    await store.commit(received(doc));

    expect(await row()).toEqual({
      canonicalLength: 0,
      sealLength: 0,
      canonicalBlob: `documents/${doc.documentSha256}`,
      sealBlob: `seals/${doc.sealSha256}`,
    });
    expect((await env.SEALED.head(`documents/${doc.documentSha256}`))?.size).toBe(doc.canonical.length);
    expect((await env.SEALED.head(`seals/${doc.sealSha256}`))?.size).toBe(doc.seal.length);

    const read = await store.getDocument(KEY);
    same(read?.canonical, doc.canonical);
    same(read?.seal, doc.seal);
    const [inbox] = await store.inbox("330000", 0, 10);
    same(inbox?.canonical, doc.canonical);
    same((await store.documentsBySha256(doc.documentSha256))[0]?.seal, doc.seal);

    // The document leaf is stored as a head and rebuilt from R2: the whole entry, hashing to its leaf hash.
    const [leaf] = (await store.archive.leaves(0, 10)).filter((l) => l.kind === "document");
    same(leaf?.entry, documentEntry(doc).entry);
    same(rfc6962Hasher.hashLeaf(leaf!.entry), leaf!.leafHash);
    same((await store.archive.leafByHash(leaf!.leafHash))?.entry, leaf!.entry);
  });

  it("keeps a small document in its row, and stores a document larger than D1's row limit", async () => {
    const store = storeWith({ inlineLimit: undefined });
    const small = await bigDocument(4_000, "doc-small");
    await store.commit({ newDocuments: [small] });
    const inRow = await env.DB.prepare("SELECT canonical_blob AS b, length(canonical) AS n FROM documents").first();
    expect(inRow).toEqual({ b: null, n: small.canonical.length });

    const huge = await bigDocument(2_500_000);
    await store.commit(received(huge));
    expect((await row())?.canonicalLength).toBe(0);
    same((await store.getDocument(KEY))?.canonical, huge.canonical);
  });

  it("fails a read whose R2 object is missing with STORE_BLOB_MISSING, never an empty document", async () => {
    const store = storeWith();
    const doc = await bigDocument(40_000);
    await store.commit(received(doc));
    await env.SEALED.delete(`documents/${doc.documentSha256}`);

    const missing = { name: "StoreError", code: "STORE_BLOB_MISSING" };
    await expect(store.getDocument(KEY)).rejects.toMatchObject(missing);
    await expect(store.caseDocuments("330000", "case-1")).rejects.toMatchObject(missing);
    await expect(store.archive.leaves(0, 10)).rejects.toMatchObject(missing);
    // A store given no bucket fails the same way on such a row.
    await expect(storeWith({ blobs: undefined }).getDocument(KEY)).rejects.toMatchObject(missing);
  });

  it("lets R2 refuse bytes that are not what their digest says: STORE_UNAVAILABLE, no row", async () => {
    const doc = { ...(await bigDocument(40_000)), documentSha256: "0".repeat(64) };
    await expect(storeWith().commit(received(doc))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(await count("documents")).toBe(0);
  });

  it("without a bucket refuses a row over D1's limit with STORE_DOCUMENT_TOO_LARGE, writing nothing", async () => {
    const store = storeWith({ blobs: undefined });
    const huge = await bigDocument(2_100_000);
    await expect(store.commit(received(huge))).rejects.toMatchObject({ code: "STORE_DOCUMENT_TOO_LARGE" });
    for (const table of ["documents", "cases", "case_events", "archive_leaves", "audit_events"])
      expect(await count(table)).toBe(0);
    expect(await env.SEALED.head(`documents/${huge.documentSha256}`)).toBeNull();

    // Below the limit, no bucket: the row holds the bytes as before.
    const doc = await bigDocument(600_000);
    await store.commit(received(doc));
    expect(await row()).toMatchObject({ canonicalLength: doc.canonical.length, canonicalBlob: null, sealBlob: null });
    same((await store.getDocument(KEY))?.canonical, doc.canonical);
  });
});
