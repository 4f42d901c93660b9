import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * The Workers project (issue 14): `*.workers.test.ts` run inside workerd (Miniflare, the wrangler.toml
 * bindings, in local Miniflare storage), with the drizzle/ migrations applied to the D1 binding first
 * (test/workers/apply-migrations.ts). The R2 bucket is declared here too: it is optional in a deployment
 * (wrangler.toml), not for the tests of the D1 store with R2 (test/storage/d1-blobs.workers.test.ts).
 * The Node project (vitest.config.ts) leaves these files out.
 */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("./drizzle") }, r2Buckets: ["SEALED"] },
    }),
  ],
  test: {
    name: "workers",
    // The CPU bench (issue 14 item 5) only on request: JIEXU_WORKER_BENCH=1.
    include: ["test/**/*.workers.test.ts", ...(process.env.JIEXU_WORKER_BENCH ? ["bench/*.workers.ts"] : [])],
    setupFiles: ["./test/workers/apply-migrations.ts"],
    testTimeout: 60_000,
  },
}));
