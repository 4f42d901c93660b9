/** One figure of `npm run bench`: the measured value, the raw baseline it is compared with, and value/baseline. */
export interface BenchLine {
  bench: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}
