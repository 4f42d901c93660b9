import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";

/**
 * Vitest global setup (node project): the gateway's code prebuilt for the processes and threads the tests start.
 *
 * Every `jiexu` process the e2e and CLI tests spawn loads the whole src tree through tsx, whose ESM hooks run on
 * a thread of their own, and so does its writer thread (writer-thread.ts) and every writer thread a store test
 * starts: ~1 s of CPU per thread start. Two plain-ESM bundles, built once per `vitest run` into .tmp/test-build/
 * with the settings tsx gives the sources (esbuild, keepNames), are loaded instead when JIEXU_TEST_BUILD names
 * them (bin/jiexu.js, writer-thread.ts). Packages stay external (their JSON data
 * inlined), resolved from the repository as usual, and every
 * `import.meta.url` keeps naming its source file, so paths relative to it (drizzle/, schemas/, bin/) hold.
 * Tests that must prove the operator's own start through tsx drop the variable (readme-walkthrough).
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = `${ROOT}.tmp/test-build`;

/** Each source module's `import.meta.url` as it is when tsx runs it: the URL of the .ts file itself. */
const sourceUrls: Plugin = {
  name: "source-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.tsx?$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const url = JSON.stringify(pathToFileURL(args.path).href);
      return { contents: text.replaceAll("import.meta.url", url), loader: args.path.endsWith("x") ? "tsx" : "ts" };
    });
  },
};

/** Packages load from node_modules at run time, as under tsx; their JSON data (imported without attributes) is inlined. */
const packagesOutside: Plugin = {
  name: "packages-outside",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.endsWith(".json") ? undefined : { path: args.path, external: true },
    );
  },
};

export default async function setup(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: { main: `${ROOT}src/cli/main.ts`, "writer-worker": `${ROOT}src/runtime/writer-worker.ts` },
    outdir: OUT,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    keepNames: true,
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    logLevel: "warning",
    plugins: [packagesOutside, sourceUrls],
  });
  process.env.JIEXU_TEST_BUILD = OUT;
}
