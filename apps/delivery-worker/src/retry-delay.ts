/**
 * The one place that decides when a failed delivery is tried again. A simple backoff:
 * the n-th attempt waits `delaysMs[n - 1]`, and every attempt past the list waits the
 * last delay. Giving up and dead-lettering is a later issue.
 */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000] as const;

/**
 * @example
 * retryDelayMs(1, [5000, 300000]); // 5000
 * retryDelayMs(9, [5000, 300000]); // 300000
 */
export function retryDelayMs(attemptNumber: number, delaysMs: readonly number[]): number {
  const index = Math.min(Math.max(attemptNumber, 1), delaysMs.length) - 1;
  const delay = delaysMs[index];
  if (delay === undefined) throw new RangeError("At least one retry delay is required");
  return delay;
}
