import "reflect-metadata";
import type { MeasureOptions } from "./measure.ts";

/**
 * `npm run bench`: one JSON line per figure on stdout,
 * {"bench": NAME, "value": N, "unit": U, "baseline": B, "ratio": N/B}. Each figure group lives in its
 * own module exporting `run(options)`; `npm run bench -- seal` runs only the named groups.
 * BENCH_ROUNDS and BENCH_SLICE_MS tune the interleaved measurement (bench/measure.ts).
 */
const groups: Record<string, () => Promise<{ run: (o: MeasureOptions) => Promise<void> }>> = {
  seal: () => import("./seal.ts"),
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
