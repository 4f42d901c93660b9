import type { LogHasher } from "../domain/archive/index.ts";
import type { GatewayStore } from "../usecases/ports.ts";
import { type BlobStore, D1_ROW_LIMIT, DEFAULT_INLINE_LIMIT } from "./blob-store.ts";
import { d1Committer } from "./d1-commit.ts";
import { d1Reads } from "./d1-reads.ts";
import { type D1Database, openD1 } from "./d1-sql.ts";
import { toStoreError } from "./errors.ts";
import { saveToken } from "./queries.ts";

export type { BlobStore } from "./blob-store.ts";
export type { D1Database } from "./d1-sql.ts";

export interface D1StoreOptions {
  /** RFC 9162 hasher for the archive log (src/pki/merkle-hasher.ts); storage may not import pki itself. */
  archiveHasher: LogHasher;
  /** Clock for the few rows the store stamps itself (token creation). */
  now?: () => Date;
  /**
   * Where document bytes too large for a D1 row go: the Worker's R2 bucket (`SEALED`). Without one, a
   * document whose row would pass D1's limit is refused (STORE_DOCUMENT_TOO_LARGE) and nothing is written.
   */
  blobs?: BlobStore;
  /** Canonical or seal bytes above this many go to `blobs` (default 512 KiB, well under D1's 2 MB row). */
  inlineLimit?: number;
  /** D1's row limit (2,000,000 bytes); lowered only to test the refusal. */
  rowLimit?: number;
  /** Document bytes one inbox page may carry (default INBOX_PAGE_BYTES, d1-reads.ts); lowered only in tests. */
  inboxPageBytes?: number;
  /**
   * Run this store's commits one at a time (default true): fewer archive races to retry. The Worker turns it
   * off: workerd cancels a request that awaits a promise another request's I/O settles ("hung"), and a chain
   * shared by an isolate's concurrent requests is exactly that. The batch guards keep commits correct without it.
   */
  serializeCommits?: boolean;
}

/**
 * The GatewayStore on Cloudflare D1 (issue 14), over a database the drizzle/ migrations were applied to
 * (`wrangler d1 migrations apply`, or `applyD1Migrations` in tests). The same SQL as the SQLite store
 * (write-sql.ts, read-sql.ts, queries.ts, archive-queries.ts); a commit is one D1 batch (d1-commit.ts),
 * durable when D1 answers. Nothing here imports Node: it runs inside workerd.
 */
export function createD1Store(database: D1Database, options: D1StoreOptions): GatewayStore {
  const handles = openD1(database);
  const blobs = {
    store: options.blobs,
    inlineLimit: options.inlineLimit ?? DEFAULT_INLINE_LIMIT,
    rowLimit: options.rowLimit ?? D1_ROW_LIMIT,
  };
  const committer = d1Committer(handles, options.archiveHasher, blobs, options.serializeCommits ?? true);
  const reads = d1Reads(handles, options.blobs, options.inboxPageBytes);
  const now = options.now ?? (() => new Date());
  // Driver failures surface as the same coded StoreErrors as on SQLite (errors.ts); anything else unchanged.
  const mapped =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A) =>
      f(...args).catch((error: unknown) => Promise.reject(toStoreError(error)));
  const archive = Object.fromEntries(
    Object.entries(reads.archive).map(([name, f]) => [name, mapped(f as (...a: unknown[]) => Promise<unknown>)]),
  ) as unknown as GatewayStore["archive"];
  const store = Object.fromEntries(
    Object.entries(reads).map(([name, f]) => [
      name,
      name === "archive" ? archive : mapped(f as (...a: unknown[]) => Promise<unknown>),
    ]),
  ) as unknown as Omit<GatewayStore, "commit" | "saveToken">;
  return {
    ...store,
    commit: (change) => committer.commit(change),
    // Tokens are provisioned by operators, rarely: one write outside the batches.
    saveToken: mapped(async (hash, principal, label) => {
      // The builder is typed for SQLite's synchronous driver (queries.ts); on D1 `run` returns a promise.
      await (saveToken(handles.db, hash, principal, label, now()).run() as unknown as Promise<unknown>);
    }),
  };
}
