import { configDefaults, defineConfig } from "vitest/config";

/**
 * Two projects, one `vitest run` (so `npm test -- <args>` reaches both): "node", the gateway under Node, and
 * "workers", the `*.workers.test.ts` files inside workerd (vitest.workers.config.ts: the D1 store and the
 * gateway over it). `vitest run --project node` or `--project workers` runs one.
 */
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
          name: "node",
          include: ["test/**/*.test.{ts,tsx}"],
          // Run inside workerd by the Workers project.
          exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts"],
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
