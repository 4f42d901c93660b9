/**
 * The few `cloudflare:test` names the Workers tests use, declared here: the full types
 * (@cloudflare/vitest-pool-workers/types, @cloudflare/workers-types) redefine DOM and Node globals the
 * rest of the project type-checks against.
 */
declare module "cloudflare:test" {
  import type { BlobStore, D1Database } from "../../src/storage/d1-store.ts";

  /** SEALED: R2's `delete` and `head` too, which the store does not use but the tests do. */
  export const env: {
    DB: D1Database;
    SEALED: BlobStore & { delete(key: string): Promise<void>; head(key: string): Promise<{ size: number } | null> };
    TEST_MIGRATIONS: unknown[];
  };
  export function applyD1Migrations(db: D1Database, migrations: unknown[], migrationsTableName?: string): Promise<void>;
}
