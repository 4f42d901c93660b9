import type { DocumentRecord } from "../usecases/ports.ts";
import { StoreError } from "../usecases/store-error.ts";
import type { SealedColumns } from "./archive-refs.ts";
import { unavailable } from "./errors.ts";
import type { DocumentRow } from "./rows.ts";
import type { StoredDocument } from "./write-sql.ts";

/**
 * The slice of Cloudflare's R2 binding the D1 store uses for document bytes too large for a D1 row (issue 14),
 * written out here as D1Database is (d1-sql.ts): a Worker's `env.SEALED` (workers-types `R2Bucket`) fits it as
 * it is, with no adapter. `sha256` makes R2 check the bytes it receives against the key's digest.
 */
export interface BlobStore {
  put(key: string, value: Uint8Array, options?: { sha256?: string }): Promise<unknown>;
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

/** D1's limit on one string, BLOB or row (developers.cloudflare.com/d1/platform/limits). */
export const D1_ROW_LIMIT = 2_000_000;
/** Bytes kept in the row up to this size by default: well under D1_ROW_LIMIT, with room for the rest of the row. */
export const DEFAULT_INLINE_LIMIT = 512 * 1024;
/** What a documents row holds besides its blobs, report and receipt: ids, hashes, times; generous. */
const ROW_OVERHEAD = 4 * 1024;

/** Where a D1 store keeps large bytes, from what size, and the row size D1 takes (lowered only by tests). */
export interface BlobPolicy {
  store: BlobStore | undefined;
  inlineLimit: number;
  rowLimit: number;
}

const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

/**
 * Puts the bytes of `documents` above `inlineLimit` into the blob store and returns the documents as their
 * rows will hold them, or refuses (STORE_DOCUMENT_TOO_LARGE, before any put) a row D1 would not take.
 * Keys are content addresses (`documents/<document_sha256>`, `seals/<seal_sha256>`; both digests are of
 * exactly these bytes, usecases/canonical.ts), so a put is idempotent: a retried commit writes the same
 * object again, and a batch that then fails (a lost race, a duplicate) leaves at most an object no row
 * refers to — harmless, and never a row without its object, because the puts finish before the batch.
 */
export async function offloadDocuments(
  documents: readonly DocumentRecord[],
  policy: BlobPolicy,
): Promise<StoredDocument[]> {
  const { store, rowLimit } = policy;
  const inlineLimit = store ? policy.inlineLimit : Number.POSITIVE_INFINITY;
  const planned = documents.map((d) => planDocument(d, inlineLimit, rowLimit));
  const puts = planned.flatMap((p) => p.moved.map((m) => store!.put(m.key, m.bytes, { sha256: m.sha256 })));
  await Promise.all(puts).catch((error: unknown) => {
    throw unavailable("the blob store refused the document's bytes", error);
  });
  return planned.map((p) => p.document);
}

type Moved = { key: string; bytes: Uint8Array; sha256: string };

function planDocument(d: DocumentRecord, inlineLimit: number, rowLimit: number) {
  const moved: Moved[] = [];
  const document: StoredDocument = { ...d };
  if (d.canonical.length > inlineLimit) {
    moved.push({ key: `documents/${d.documentSha256}`, bytes: d.canonical, sha256: d.documentSha256 });
    Object.assign(document, { canonical: EMPTY, canonicalBlob: `documents/${d.documentSha256}` });
  }
  if (d.seal.length > inlineLimit) {
    moved.push({ key: `seals/${d.sealSha256}`, bytes: d.seal, sha256: d.sealSha256 });
    Object.assign(document, { seal: EMPTY, sealBlob: `seals/${d.sealSha256}` });
  }
  const size = rowSize(document);
  if (size > rowLimit)
    throw new StoreError(
      "STORE_DOCUMENT_TOO_LARGE",
      `document ${d.documentId} needs a row of about ${size} bytes; this store takes ${rowLimit}` +
        (Number.isFinite(inlineLimit) ? "" : " (bind an R2 bucket as SEALED for larger documents)"),
    );
  return { document, moved };
}

/**
 * An upper estimate of the row's size: its two blobs, its report (whole, before templating), its receipt
 * and the rest. The report's text is kept on the document (reportJson): the batch does not write it again.
 */
function rowSize(d: StoredDocument): number {
  if (d.report !== undefined && d.report !== null && d.reportJson === undefined)
    d.reportJson = JSON.stringify(d.report);
  const report = d.reportJson === undefined ? 0 : encoder.encode(d.reportJson).length;
  const receipt = d.receipt === undefined ? 0 : encoder.encode(d.receipt).length;
  return d.canonical.length + d.seal.length + report + receipt + ROW_OVERHEAD;
}

/** The bytes under `key`, or STORE_BLOB_MISSING: a row never reads back as an empty or partial document. */
async function readBlob(blobs: BlobStore | undefined, key: string): Promise<Uint8Array> {
  if (!blobs) throw new StoreError("STORE_BLOB_MISSING", `${key} is in a blob store this store was not given`);
  const found = await blobs.get(key).catch((error: unknown) => {
    throw unavailable(`the blob store failed to read ${key}`, error);
  });
  if (!found) throw new StoreError("STORE_BLOB_MISSING", `${key} is missing from the blob store`);
  return new Uint8Array(await found.arrayBuffer());
}

/** A documents row with the bytes the blob store holds for it read back in, as if the row had held them. */
export async function hydrateRow(row: DocumentRow, blobs: BlobStore | undefined): Promise<DocumentRow> {
  // DocumentRow positions: 9 canonical, 10 seal, 21 and 22 their blob keys (rows.ts DOCUMENT_COLUMNS).
  const [canonicalBlob, sealBlob] = [row[21], row[22]];
  if (canonicalBlob === null && sealBlob === null) return row;
  const [canonical, seal] = await Promise.all([
    canonicalBlob === null ? row[9] : readBlob(blobs, canonicalBlob),
    sealBlob === null ? row[10] : readBlob(blobs, sealBlob),
  ]);
  const hydrated = [...row] as DocumentRow;
  [hydrated[9], hydrated[10], hydrated[21], hydrated[22]] = [canonical, seal, null, null];
  return hydrated;
}

/** The sealed columns of a row (archive-refs.ts), with any bytes the blob store holds read back in. */
export async function hydrateSealed<R extends SealedColumns>(row: R, blobs: BlobStore | undefined): Promise<R> {
  if (!row.canonicalBlob && !row.sealBlob) return row;
  const [canonical, seal] = await Promise.all([
    row.canonicalBlob ? readBlob(blobs, row.canonicalBlob) : row.canonical,
    row.sealBlob ? readBlob(blobs, row.sealBlob) : row.seal,
  ]);
  return { ...row, canonical, seal, canonicalBlob: null, sealBlob: null };
}
