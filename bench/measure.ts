/**
 * Interleaved throughput measurement for a noisy, shared 2-core machine: baseline and subject run in
 * short alternating slices (ABBA order), each slice yields ops/s, and the figure is the median over
 * rounds. Background load then hits both sides alike and the ratio stays meaningful.
 */
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

export interface MeasureOptions {
  rounds?: number;
  sliceMs?: number;
}

/** An operation to measure: sync or async. `count` > 0 makes its slices count-based (e.g. cold paths with finite fixtures). */
export interface Op {
  run: () => unknown;
  count?: number;
}

const DEFAULTS = { rounds: 10, sliceMs: 250 };

async function slice(op: Op, sliceMs: number): Promise<number> {
  const start = performance.now();
  let n = 0;
  if (op.count) {
    for (; n < op.count; n++) await op.run();
    return n / ((performance.now() - start) / 1000);
  }
  const deadline = start + sliceMs;
  let now = start;
  while (now < deadline) {
    for (let k = 0; k < 8; k++, n++) {
      const r = op.run();
      if (r instanceof Promise) await r;
    }
    now = performance.now();
  }
  return n / ((now - start) / 1000);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Measure `subject` against `baseline`, interleaved; returns medians of ops/s. */
export async function compare(
  baseline: Op,
  subject: Op,
  options: MeasureOptions = {},
): Promise<{ value: number; baseline: number }> {
  const { rounds, sliceMs } = { ...DEFAULTS, ...options };
  // Warm-up: JIT, caches the subject is meant to have warm, lazy imports.
  await slice({ run: baseline.run }, 50);
  if (!subject.count) await slice(subject, 50);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      a.push(await slice(baseline, sliceMs));
      b.push(await slice(subject, sliceMs));
    } else {
      b.push(await slice(subject, sliceMs));
      a.push(await slice(baseline, sliceMs));
    }
  }
  return { value: median(b), baseline: median(a) };
}

export function figure(bench: string, unit: string, m: { value: number; baseline: number }): Figure {
  return {
    bench,
    value: Math.round(m.value),
    unit,
    baseline: Math.round(m.baseline),
    ratio: Number((m.value / m.baseline).toFixed(3)),
  };
}

export function emit(f: Figure): void {
  process.stdout.write(JSON.stringify(f) + "\n");
}
