/**
 * A seeded pseudo-random source in [0, 1) for fuzzed differential tests: the same seed gives the same cases on
 * every run and machine (a linear congruential generator; the tests need repeatability, not quality).
 */
export function seededRandom(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}
