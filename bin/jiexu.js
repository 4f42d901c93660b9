#!/usr/bin/env -S node --max-semi-space-size=32
// Entry point for `npx jiexu …` and `npm start`. Sources are TypeScript, loaded through tsx.
// --max-semi-space-size=32 (shebang, `npm start`): a gateway under load allocates ~1 MB per 10 documents,
// and a 32 MB young generation halves the scavenges of V8's 16 MB default (issue 12: −10–18 % CPU per
// ingested document, docs/ingest-performance.md). V8 reads it only at start, so it cannot be set here.

// A gateway told to stop while Node and tsx are still loading must stop cleanly too (issue 9 item 11):
// until `serve` installs its own handlers, a stop signal is only noted here, and `serve` takes it over.
// This runs before any import is evaluated (they are dynamic below), so the window is Node's own start.
const early = [];
const note = (signal) => early.push(signal);
if (["serve", "start"].includes(process.argv[2] ?? "")) {
  process.on("SIGTERM", note);
  process.on("SIGINT", note);
  const take = () => {
    process.off("SIGTERM", note);
    process.off("SIGINT", note);
    return early.splice(0);
  };
  globalThis.jiexuEarlySignals = { take };
}

await import("reflect-metadata");
// The test suite's prebuilt bundle of these sources (test/support/prebuilt.ts) when it names one; else tsx.
const prebuilt = process.env.JIEXU_TEST_BUILD;
const { main } = prebuilt
  ? await import((await import("node:url")).pathToFileURL(`${prebuilt}/main.mjs`).href)
  : await (async () => {
      const { register } = await import("tsx/esm/api");
      register();
      return import("../src/cli/main.ts");
    })();
process.exitCode = await main(process.argv.slice(2));
