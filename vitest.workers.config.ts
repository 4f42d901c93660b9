import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * The Workers project (issue 14): `*.workers.test.ts` run inside workerd (Miniflare, the wrangler.toml
 * bindings), with the drizzle/ migrations applied to the D1 binding first (test/workers/apply-migrations.ts).
 * The Node project (vitest.config.ts) leaves these files out.
 */
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("./drizzle") } },
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
