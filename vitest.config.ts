import { configDefaults, defineConfig } from "vitest/config";

/**
 * The projects of one `vitest run` (so `npm test -- <args>` reaches all): "domain", the pure domain layer's tests;
 * "node", the other tests of the gateway under Node; "node-mocks", the two files that replace modules; and
 * "workers" and "workers-entry", the `*.workers.test.ts` files inside workerd (vitest.workers.config.ts: the D1
 * store and the gateway over it). `vitest run --project node` (or `domain`, `node-mocks`, `'workers*'`) runs one.
 *
 * "domain" and "node" run their files without a fresh module graph each (isolate: false): a worker imports
 * vitest and the sources once and runs file after file. Re-importing them for each file was most of the suite's
 * overhead, ~1.2–1.4 s of CPU per file under Node (the full suite on a quiet machine, one run each: 320 s of
 * vitest with only the pki, use-case, storage and http folders shared, 270 s with every Node file shared). The
 * rule that makes it safe: a file stops every server, thread and process it starts and removes its directories
 * in its own hooks, restores any environment variable it changes (one test does: the writer thread's start
 * through tsx, in a `finally`), and never relies on module state in src being fresh (caches of verified chains,
 * metrics registries: per process by design). Files that `vi.mock` a module keep a graph of their own
 * ("node-mocks"): a mock must not outlive its file.
 */
/** Files that replace modules with vi.mock: a module graph of their own each. */
const MOCKING = ["test/pki/ses/ses-hot-path.test.ts", "test/usecases/cases/track-voucher.test.ts"];

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
          name: "node",
          include: ["test/**/*.test.{ts,tsx}"],
          // Run inside workerd by the Workers projects; the domain layer's tests by the domain project.
          exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts", "test/domain/**", ...MOCKING],
          isolate: false,
          setupFiles: ["./test/setup.ts"],
          // The sources prebuilt once for the gateway processes and writer threads tests start (JIEXU_TEST_BUILD).
          globalSetup: ["./test/support/prebuilt.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: { name: "node-mocks", include: MOCKING, setupFiles: ["./test/setup.ts"], testTimeout: 60_000 },
      },
      "./vitest.workers.config.ts",
      "./vitest.workers-entry.config.ts",
    ],
  },
});
