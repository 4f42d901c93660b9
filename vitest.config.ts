import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  // Vite 8 (Oxc) reads the JSX settings only from a tsconfig whose include covers the file: say it here too.
  oxc: { jsx: { runtime: "automatic", importSource: "hono/jsx" } },
  test: {
    include: ["test/**/*.test.{ts,tsx}"],
    // Run inside workerd by the Workers project (vitest.workers.config.ts).
    exclude: [...configDefaults.exclude, "test/**/*.workers.test.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep worker count small so openssl/process tests are not starved.
    maxWorkers: 2,
  },
});
