import { setTimeout as sleep } from "node:timers/promises";

export type WaitForOptions = {
  /** Give up after this long (default 20 s: it catches a hang, not a slow machine). */
  timeoutMs?: number;
  /** Pause between probes (default 50 ms). */
  intervalMs?: number;
};

/** What a probe's value can be once it counts as done. */
export type Truthy<T> = T extends false | "" | 0 | null | undefined ? never : T;

/**
 * Polls `probe` until it returns a truthy value, and resolves with that value. A probe
 * that throws counts as "not yet"; after `timeoutMs` the error names `what` and carries
 * the last value or error seen, so a failing test says what never happened.
 *
 * Plain code rather than vitest's `vi.waitFor` on purpose: that one resolves with the first
 * value that does not throw (false included) and `vi.waitUntil` gives up at the first
 * throw, while our probes need both kinds of "not yet"; and the harness also runs outside
 * vitest (the benchmark, under tsx).
 *
 * @example
 * const row = await waitFor("the claim in the clinic's inbox", () => inbox.get(claimId));
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  { timeoutMs = 20_000, intervalMs = 50 }: WaitForOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as Truthy<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : String(last);
      throw new Error(
        `condition not met: ${what} (waited ${timeoutMs} ms; last probe gave ${seen})`,
        { cause: last },
      );
    }
    await sleep(intervalMs);
  }
}
