/**
 * How long a message whose processing threw waits before each retry: the first retry after
 * 1 s, then 5 s, then 30 s. When the last delay has been used and it throws again, the
 * message is quarantined (state "quarantined", its error kept) instead of being retried
 * for ever. Retries let a passing fault (a locked database, a bug fixed by a restart) heal;
 * quarantine keeps a message that can never apply from being attempted on every pass.
 */
export const PROCESSING_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

/** The wait before retry `attempt` (1-based), or undefined once retries are used up. */
export function retryDelayMs(
  attempt: number,
  delays: readonly number[] = PROCESSING_RETRY_DELAYS_MS,
): number | undefined {
  return delays[attempt - 1];
}
