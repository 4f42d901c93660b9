import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep worker count small so openssl/process tests are not starved.
    maxWorkers: 2,
  },
});
