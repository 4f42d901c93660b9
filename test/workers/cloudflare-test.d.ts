/**
 * The few `cloudflare:test` names the Workers tests use, declared here: the full types
 * (@cloudflare/vitest-pool-workers/types, @cloudflare/workers-types) redefine DOM and Node globals the
 * rest of the project type-checks against.
 */
declare module "cloudflare:test" {
  import type { D1Database } from "../../src/storage/d1-store.ts";

  export const env: { DB: D1Database; TEST_MIGRATIONS: unknown[] };
  export function applyD1Migrations(db: D1Database, migrations: unknown[], migrationsTableName?: string): Promise<void>;
}
