/**
 * A small seeded generator (mulberry32) so that random draws in tests and benchmarks (the
 * simulator's plans, a fault proxy's faults, a benchmark's load) repeat from run to run.
 *
 * @example
 * const random = seededRandom(42); random(); // same sequence every run
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
