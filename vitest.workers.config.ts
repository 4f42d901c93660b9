import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * The Workers projects (issue 14): `*.workers.test.ts` run inside workerd (Miniflare, the wrangler.toml
 * bindings, in local Miniflare storage), with the drizzle/ migrations applied to the D1 binding first
 * (test/workers/apply-migrations.ts). The R2 bucket is declared here too: it is optional in a deployment
 * (wrangler.toml), not for the tests of the D1 store with R2 (test/storage/d1-blobs.workers.test.ts).
 * The Node projects (vitest.config.ts) leave these files out.
 *
 * Two projects, `vitest run --project 'workers*'` runs both:
 * - "workers" (this file) runs its files in one shared module graph (isolate: false): loading the sources into
 *   workerd again for each file cost ~9 s of setup a file (all ten files alone: 57 s wall isolated, of which 10 s
 *   tests; 19 s all shared; 34–45 s as split here). Each runner is a Miniflare of its own, with its own in-memory
 *   D1 that the files it runs share one after another: each file empties the tables first
 *   (test/storage/d1-fixtures.ts emptyD1).
 * - "workers-entry" (vitest.workers-entry.config.ts) keeps a fresh isolate per file for WORKER_ENTRY_FILES: they
 *   drive src/runtime/worker.ts, which composes its gateway once per isolate from the first event's env (as in
 *   production), so a second file with another env would be served by the first file's gateway.
 */
export const WORKER_ENTRY_FILES = [
  "test/runtime/worker-entry.workers.test.ts",
  "test/runtime/worker-directory.workers.test.ts",
  // The CPU bench (issue 14 item 5) only on request: JIEXU_WORKER_BENCH=1.
  ...(process.env.JIEXU_WORKER_BENCH ? ["bench/worker-exchange.workers.ts"] : []),
];

export function workersProject(name: string, files: { include: string[]; exclude?: string[] }, isolate: boolean) {
  return defineConfig(async () => ({
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations("./drizzle") }, r2Buckets: ["SEALED"] },
      }),
    ],
    test: {
      name,
      include: files.include,
      exclude: [...configDefaults.exclude, ...(files.exclude ?? [])],
      isolate,
      setupFiles: ["./test/workers/apply-migrations.ts"],
      testTimeout: 60_000,
    },
  }));
}

export default workersProject(
  "workers",
  { include: ["test/**/*.workers.test.ts"], exclude: WORKER_ENTRY_FILES },
  false,
);
