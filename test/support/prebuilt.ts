import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type BuildOptions, type Plugin } from "esbuild";

/**
 * Vitest global setup (node project): the gateway's code prebuilt for the processes and threads the tests start.
 *
 * Every `jiexu` process the e2e and CLI tests spawn loads the whole src tree through tsx, whose ESM hooks run on
 * a thread of their own, and so does its writer thread (writer-thread.ts) and every writer thread a store test
 * starts: ~1 s of CPU per thread start. Two plain-ESM bundles, built once per `vitest run` into
 * .tmp/test-build/<pid>/ with the settings tsx gives the sources (esbuild, keepNames), are loaded instead when
 * JIEXU_TEST_BUILD names them (bin/jiexu.js, writer-thread.ts). Packages stay external (their JSON data inlined),
 * resolved from the repository as usual, and every `import.meta.url` keeps naming its source file, so paths
 * relative to it (drizzle/, schemas/, bin/) hold. Tests that must prove the operator's own start through tsx
 * drop the variable (readme-walkthrough, one writer-thread test).
 */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// One directory per run: two `vitest run`s in one checkout must not rebuild each other's bundle under their processes.
const OUT = `${ROOT}.tmp/test-build/${process.pid}`;

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

/**
 * The writer thread needs the store's commit path only, yet writer-worker.ts reaches src/pki/index.ts (and through
 * it pkijs, @peculiar/x509, node-forge, ajv): imported, never used. Its bundle treats src modules as free of side
 * effects, so what it does not use is left out with the packages only that code imports (~0.9 s -> ~0.4 s a start).
 */
const unusedSourcesDropped: Plugin = {
  name: "unused-sources-dropped",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === "resolved") return undefined;
      const found = await b.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: "resolved",
      });
      return found.errors.length === 0 && found.path.startsWith(`${ROOT}src/`)
        ? { ...found, sideEffects: false }
        : found;
    });
  },
};

const COMMON: BuildOptions = {
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
};

export default async function setup(): Promise<() => void> {
  mkdirSync(OUT, { recursive: true });
  await Promise.all([
    build({ ...COMMON, entryPoints: { main: `${ROOT}src/cli/main.ts` }, plugins: [packagesOutside, sourceUrls] }),
    build({
      ...COMMON,
      entryPoints: { "writer-worker": `${ROOT}src/runtime/writer-worker.ts` },
      plugins: [packagesOutside, unusedSourcesDropped, sourceUrls],
    }),
  ]);
  process.env.JIEXU_TEST_BUILD = OUT;
  return () => rmSync(OUT, { recursive: true, force: true });
}
