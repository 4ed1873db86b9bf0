import type { ChaosClinic } from "../src/harness/chaos-system.ts";

/**
 * How long the system took to move again after a fault that struck at `at`: until the
 * first event committed at or after `at` reached a clinic (the clinic answered its
 * webhook 2xx, as its fault proxy saw). Tasks already in a worker's hands are not
 * counted: they travel without NATS. Undefined if none arrived.
 */
export function recoveryMs(at: number, clinics: readonly ChaosClinic[]): number | undefined {
  let first: number | undefined;
  for (const clinic of clinics) {
    const arrival = clinic.proxy.stats.arrivals.find((a) => a.committedAt >= at);
    if (arrival && (first === undefined || arrival.at < first)) first = arrival.at;
  }
  return first === undefined ? undefined : first - at;
}

/**
 * The longest stretch between `from` and `to` in which no webhook reached any clinic:
 * its start and length (ms). A healthy system under load delivers every few ms.
 */
export function longestPause(
  clinics: readonly ChaosClinic[],
  from: number,
  to: number,
): { at: number; ms: number } {
  const times = clinics
    .flatMap((clinic) => clinic.proxy.stats.arrivals.map((a) => a.at))
    .filter((at) => at >= from && at <= to)
    .sort((a, b) => a - b);
  let longest = { at: from, ms: 0 };
  let previous = from;
  for (const at of [...times, to]) {
    if (at - previous > longest.ms) longest = { at: previous, ms: at - previous };
    previous = at;
  }
  return longest;
}
