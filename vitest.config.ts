import { readdirSync } from "node:fs";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Four projects, one `vitest run` (so `npm test -- <args>` reaches all): "domain", the pure domain layer's tests;
 * "node-shared" and "node", the other tests of the gateway under Node; and "workers" and "workers-entry", the
 * `*.workers.test.ts` files inside workerd (vitest.workers.config.ts: the D1 store and the gateway over it).
 * `vitest run --project node` (or `node-shared`, `domain`, `'workers*'`) runs one.
 *
 * "domain" runs its files without a fresh module graph each (isolate: false): src/domain is pure by rule
 * (test/architecture.test.ts: no node: module; only ajv, calendar data and canonicalize), its tests mock nothing
 * and change no global, so a file cannot leave state another sees; re-importing vitest and the sources for each
 * of ~50 small files cost ~3/4 of that project's CPU (48 files: 52 s wall isolated, 23 s shared, two loaded
 * cores). "node-shared" does the same for the files of SHARED_FOLDERS: bytes in, verdicts out, use cases and
 * routes over the in-memory harness and `app.request()`, stores on SQLite files — no server, thread, process,
 * environment variable, global or module mock (the full suite: 390–403 s of vitest against 504–532 s before).
 * The files of those folders that do one of these are in ISOLATED and stay in "node", with every other test:
 * those start servers, threads and processes, set environment variables, mock modules.
 */
const SHARED_FOLDERS = ["test/pki", "test/usecases", "test/storage", "test/http"];
const ISOLATED = new Set([
  "test/pki/ses/ses-hot-path.test.ts", // vi.mock
  "test/usecases/cases/track-voucher.test.ts", // vi.mock
  "test/http/docs-try-it.e2e.test.ts", // a gateway process and Chromium
  "test/http/pages/public.e2e.test.ts", // a gateway process and Chromium
  "test/http/pages/verify-archived.e2e.test.ts", // a gateway process and Chromium
  "test/storage/archive-refs.test.ts", // the writer thread
  "test/storage/durability.test.ts", // a child process killed mid-write
  "test/storage/store-contract.test.ts", // the writer thread
]);
const SHARED = SHARED_FOLDERS.flatMap((folder) =>
  readdirSync(new URL(`${folder}/`, import.meta.url), { recursive: true, encoding: "utf8" }).map(
    (file) => `${folder}/${file}`,
  ),
).filter((file) => /\.test\.tsx?$/.test(file) && !file.endsWith(".workers.test.ts") && !ISOLATED.has(file));

export default defineConfig({
  // Vite 8 (Oxc) reads the JSX settings only from a tsconfig whose include covers the file: say it here too.
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    // Two cores: keep worker count small so openssl/process tests are not starved.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "domain",
          include: ["test/domain/**/*.test.{ts,tsx}"],
          exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts"],
          isolate: false,
          setupFiles: ["./test/setup.ts"],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "node-shared",
          include: SHARED,
          isolate: false,
          setupFiles: ["./test/setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000, // as in "node", where these files ran before
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.{ts,tsx}"],
          // Run inside workerd by the Workers project; the domain layer's tests by the domain project; SHARED by
          // node-shared.
          exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts", "test/domain/**", ...SHARED],
          setupFiles: ["./test/setup.ts"],
          // The sources prebuilt once for the gateway processes and writer threads tests start (JIEXU_TEST_BUILD).
          globalSetup: ["./test/support/prebuilt.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      "./vitest.workers.config.ts",
      "./vitest.workers-entry.config.ts",
    ],
  },
});
