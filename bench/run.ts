import "reflect-metadata";
import { emit, type MeasureOptions } from "./measure.ts";
import type { BenchLine } from "./types.ts";

/**
 * `npm run bench`: one JSON line per figure on stdout,
 * {"bench": NAME, "value": N, "unit": U, "baseline": B, "ratio": N/B}. Each figure group lives in its
 * own module exporting `run(options)`; `npm run bench -- seal` runs only the named groups.
 * BENCH_ROUNDS and BENCH_SLICE_MS tune the interleaved measurement (bench/measure.ts).
 */
type Group = { run: (o: MeasureOptions) => Promise<void> };

/** Groups written as `benchX(): Promise<BenchLine[]>` print their lines through the same emitter. */
const lines = (produce: () => Promise<BenchLine[]>): Group => ({ run: async () => (await produce()).forEach(emit) });

const groups: Record<string, () => Promise<Group>> = {
  seal: () => import("./seal.ts"),
  storage: async () => lines((await import("./storage.ts")).benchStorage),
  reads: async () => lines((await import("./reads.ts")).benchReads),
  ingest: async () => lines((await import("./ingest.ts")).benchIngest),
  archive: () => import("./archive.ts"),
  "archive-store": () => import("./archive-store.ts"),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const options: MeasureOptions = {
  ...(process.env.BENCH_ROUNDS ? { rounds: Number(process.env.BENCH_ROUNDS) } : {}),
  ...(process.env.BENCH_SLICE_MS ? { sliceMs: Number(process.env.BENCH_SLICE_MS) } : {}),
};
for (const name of wanted.length ? wanted : Object.keys(groups)) {
  const load = groups[name];
  if (!load) {
    process.stderr.write(`bench: unknown group '${name}' (known: ${Object.keys(groups).join(", ")})\n`);
    process.exit(64);
  }
  const started = performance.now();
  await (await load()).run(options);
  process.stderr.write(`bench: ${name} took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
