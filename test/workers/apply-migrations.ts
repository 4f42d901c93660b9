import { applyD1Migrations, env } from "cloudflare:test";

// The drizzle-kit migrations (0000–0006), as `wrangler d1 migrations apply` applies them; idempotent.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
