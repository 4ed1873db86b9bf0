/**
 * Waits before each retry of a patient e-mail the SMTP server did not take: 1 min, 5 min,
 * 30 min, 2 h, 6 h, 12 h — about 21 hours in all; after the last failure the e-mail is
 * marked failed and shown to staff on the claim's page. A patient told a day late is still
 * told; one told every hour about the same thing is not helped.
 */
export const EMAIL_RETRY_DELAYS_MS: readonly number[] = [
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
];

/** The wait before the next attempt after `failedAttempts` failures, or undefined: give up. */
export function emailRetryDelayMs(
  failedAttempts: number,
  delays: readonly number[] = EMAIL_RETRY_DELAYS_MS,
): number | undefined {
  return delays[failedAttempts - 1];
}
