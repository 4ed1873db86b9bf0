/**
 * The delivery retry policy, in one place. The insurer alone decides
 * when the next attempt happens; workers only send and report.
 *
 * A schedule is a list of delays: entry 0 is the delay before attempt 1 (always 0:
 * fan-out sends at once), entry n the delay after attempt n failed before attempt n+1.
 * Its length is the number of scheduled attempts; after the last one the delivery is
 * dead-lettered (status "failed", visible, recoverable).
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The default: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (~3 days). */
export const DEFAULT_RETRY_SCHEDULE = "0s,5s,5m,30m,2h,5h,10h,14h,20h,24h";

/** A Retry-After shorter than this is raised to it: "0" must not turn into a tight loop. */
export const RETRY_AFTER_MIN_MS = 1_000;
/**
 * A Retry-After longer than max(scheduled delay, this) is cut to it: a receiver may ask
 * us to wait longer than the schedule would, but up to an hour (or the schedule's own
 * delay, when that is longer), so a typo or a hostile header (`Retry-After: 31536000`)
 * cannot park a delivery for a year.
 */
export const RETRY_AFTER_CAP_MS = 3_600_000;

/**
 * Parses "0s,5s,5m,30m,2h" (units ms, s, m, h, d; decimals allowed) into milliseconds.
 * Throws an Error naming the bad entry.
 *
 * @example
 * parseRetrySchedule("0s,250ms,1.5s"); // [0, 250, 1500]
 */
export function parseRetrySchedule(text: string): number[] {
  const entries = text.split(",").map((entry) => entry.trim());
  const delays = entries.map((entry) => {
    const match = entry.match(/^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/);
    if (!match) {
      throw new Error(
        `'${entry}' is not a delay: write a number and a unit (ms, s, m, h, d), e.g. '5s,5m,2h'`,
      );
    }
    return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  });
  if (delays[0] !== 0) {
    throw new Error("the first entry is the first attempt, which is sent at once: it must be 0");
  }
  return delays;
}

export type RetryPolicy = {
  /** Delays in ms, as parseRetrySchedule returns them. */
  schedule: readonly number[];
  /** Each scheduled delay is spread uniformly over ±jitter of itself (0.2 = ±20%). */
  jitter: number;
  /** A number in [0, 1); injected so tests are deterministic. */
  random?: () => number;
};

export type RetryDecision =
  | {
      kind: "retry";
      at: Date;
      delayMs: number;
      /** "retry-after" when the endpoint's Retry-After set the delay. */
      source: "schedule" | "retry-after";
    }
  | { kind: "dead-letter" };

/**
 * What happens after attempt `attempt` (1-based, counted within the current schedule
 * run) failed: the next attempt and when, or the dead letter when the schedule is used
 * up. A `retryAfterMs` from the endpoint (429/503) replaces the scheduled delay, clamped
 * to [RETRY_AFTER_MIN_MS, max(scheduled delay, RETRY_AFTER_CAP_MS)], without
 * jitter (the endpoint asked for that moment); it never adds attempts to the schedule.
 *
 * @example
 * const policy = { schedule: parseRetrySchedule("0s,5s,5m"), jitter: 0.2, random: () => 0.5 };
 * decideRetry(policy, { attempt: 1, now }); // retry at now + 5 s
 * decideRetry(policy, { attempt: 3, now }); // dead-letter
 */
export function decideRetry(
  policy: RetryPolicy,
  failure: { attempt: number; now: Date; retryAfterMs?: number | null },
): RetryDecision {
  const scheduled = policy.schedule[failure.attempt];
  if (scheduled === undefined) return { kind: "dead-letter" };
  let delayMs: number;
  let source: "schedule" | "retry-after";
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs !== null) {
    delayMs = clampRetryAfter(failure.retryAfterMs, scheduled);
    source = "retry-after";
  } else {
    delayMs = jittered(scheduled, policy.jitter, policy.random ?? Math.random);
    source = "schedule";
  }
  return { kind: "retry", at: new Date(failure.now.getTime() + delayMs), delayMs, source };
}

/** The Retry-After range described at decideRetry. */
export function clampRetryAfter(retryAfterMs: number, scheduledMs: number): number {
  const max = Math.max(scheduledMs, RETRY_AFTER_CAP_MS);
  return Math.min(Math.max(retryAfterMs, RETRY_AFTER_MIN_MS), max);
}

function jittered(delayMs: number, jitter: number, random: () => number): number {
  return Math.round(delayMs * (1 + jitter * (2 * random() - 1)));
}

/** The longest a delivery can take from its first attempt to its dead letter, without jitter. */
export function scheduleSpanMs(schedule: readonly number[]): number {
  return schedule.reduce((sum, delay) => sum + delay, 0);
}
