import { configDefaults, defineConfig } from "vitest/config";

/**
 * Three projects, one `vitest run` (so `npm test -- <args>` reaches all): "domain", the pure domain layer's tests;
 * "node", every other test of the gateway under Node; and "workers", the `*.workers.test.ts` files inside workerd
 * (vitest.workers.config.ts: the D1 store and the gateway over it). `vitest run --project node` (or `domain`,
 * `workers`) runs one.
 *
 * "domain" runs its files without a fresh module graph each (isolate: false): src/domain is pure by rule
 * (test/architecture.test.ts: no node: module; only ajv, calendar data and canonicalize), its tests mock nothing
 * and change no global, so a file cannot leave state another sees; re-importing vitest and the sources for each
 * of ~50 small files cost ~3/4 of that project's CPU (48 files: 52 s wall isolated, 23 s shared, two loaded
 * cores). "node-shared" does the same for test/pki and test/usecases: bytes in, verdicts out, and use cases over
 * the in-memory harness — no server, thread, process, environment variable or global touched; the two files there
 * that mock a module (vi.mock) stay isolated in "node". Every other file keeps isolation: those tests start
 * servers, threads and processes, set environment variables and mock modules.
 */
/** Files "node-shared" runs in one module graph per worker, and those of its folders that must stay isolated. */
const SHARED = ["test/pki/**/*.test.{ts,tsx}", "test/usecases/**/*.test.{ts,tsx}"];
const MOCKING = ["test/pki/ses/ses-hot-path.test.ts", "test/usecases/cases/track-voucher.test.ts"];
const SHARED_EXCEPT_MOCKING = [
  "test/pki/**/!(ses-hot-path).test.ts",
  "test/usecases/**/!(track-voucher).test.{ts,tsx}",
];

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
          exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts", ...MOCKING],
          isolate: false,
          setupFiles: ["./test/setup.ts"],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "node",
          include: ["test/**/*.test.{ts,tsx}"],
          // Run inside workerd by the Workers project; the domain layer's tests by the domain project, the pure
          // pki and use-case tests by node-shared.
          exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts", "test/domain/**", ...SHARED_EXCEPT_MOCKING],
          setupFiles: ["./test/setup.ts"],
          // The sources prebuilt once for the gateway processes and writer threads tests start (JIEXU_TEST_BUILD).
          globalSetup: ["./test/support/prebuilt.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      "./vitest.workers.config.ts",
    ],
  },
});
