import { describe, expect, it } from "vitest";
import {
  clampRetryAfter,
  DEFAULT_RETRY_SCHEDULE,
  decideRetry,
  parseRetrySchedule,
  scheduleSpanMs,
} from "./retry-schedule.ts";

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const now = new Date("2026-12-01T10:00:00.000Z");

/** A random source that returns the given values in turn. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0.5;
}

describe("parseRetrySchedule", () => {
  it("reads the default: immediately, then 5 s … 24 h, about three days in all", () => {
    const schedule = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
    expect(schedule).toEqual([
      0,
      5 * S,
      5 * M,
      30 * M,
      2 * H,
      5 * H,
      10 * H,
      14 * H,
      20 * H,
      24 * H,
    ]);
    const days = scheduleSpanMs(schedule) / (24 * H);
    expect(days).toBeGreaterThan(3);
    expect(days).toBeLessThan(3.5);
  });

  it("understands every unit, decimals and spaces", () => {
    expect(parseRetrySchedule("0ms, 250ms, 1.5s, 2m, 1h, 1d")).toEqual([
      0,
      250,
      1_500,
      2 * M,
      H,
      24 * H,
    ]);
  });

  it("refuses an entry without a unit, a negative one, and a first attempt that waits", () => {
    expect(() => parseRetrySchedule("0s,5")).toThrow(/'5' is not a delay/);
    expect(() => parseRetrySchedule("0s,-5s")).toThrow(/'-5s' is not a delay/);
    expect(() => parseRetrySchedule("0s,,5s")).toThrow(/'' is not a delay/);
    expect(() => parseRetrySchedule("5s,10s")).toThrow(/must be 0/);
  });
});

describe("decideRetry", () => {
  const schedule = parseRetrySchedule("0s,5s,5m,30m");

  it("schedules attempt n+1 after the n-th delay, with the jitter the random source gives", () => {
    const exact = { schedule, jitter: 0.2, random: draws(0.5) };
    expect(decideRetry(exact, { attempt: 1, now })).toEqual({
      kind: "retry",
      at: new Date(now.getTime() + 5 * S),
      delayMs: 5 * S,
      source: "schedule",
    });
    const low = { schedule, jitter: 0.2, random: draws(0) };
    const high = { schedule, jitter: 0.2, random: draws(0.999_999) };
    expect(decideRetry(low, { attempt: 2, now })).toMatchObject({ delayMs: 4 * M });
    const highDelay = decideRetry(high, { attempt: 3, now });
    expect(highDelay.kind === "retry" && highDelay.delayMs).toBeCloseTo(36 * M, -2);
  });

  it("keeps every jittered delay within ±jitter of the schedule", () => {
    const random = Math.random;
    for (let i = 0; i < 1_000; i++) {
      const decision = decideRetry({ schedule, jitter: 0.2, random }, { attempt: 2, now });
      expect(decision.kind).toBe("retry");
      if (decision.kind !== "retry") return;
      expect(decision.delayMs).toBeGreaterThanOrEqual(4 * M);
      expect(decision.delayMs).toBeLessThanOrEqual(6 * M);
    }
  });

  it("dead-letters after the last scheduled attempt", () => {
    const policy = { schedule, jitter: 0.2, random: draws(0.5) };
    expect(decideRetry(policy, { attempt: 3, now }).kind).toBe("retry");
    expect(decideRetry(policy, { attempt: 4, now })).toEqual({ kind: "dead-letter" });
    expect(decideRetry(policy, { attempt: 9, now })).toEqual({ kind: "dead-letter" });
    // A single-entry schedule sends once and never retries.
    expect(decideRetry({ ...policy, schedule: [0] }, { attempt: 1, now }).kind).toBe("dead-letter");
  });

  it("uses Retry-After instead of the schedule, without jitter, clamped to a sane range", () => {
    const policy = { schedule, jitter: 0.2, random: draws(0) };
    expect(decideRetry(policy, { attempt: 1, now, retryAfterMs: 90 * S })).toEqual({
      kind: "retry",
      at: new Date(now.getTime() + 90 * S),
      delayMs: 90 * S,
      source: "retry-after",
    });
    // Shorter than the schedule is honoured (the endpoint asked), but never below 1 s.
    expect(decideRetry(policy, { attempt: 3, now, retryAfterMs: 2 * S })).toMatchObject({
      delayMs: 2 * S,
    });
    expect(decideRetry(policy, { attempt: 1, now, retryAfterMs: 0 })).toMatchObject({
      delayMs: S,
    });
    // Never more than an hour, or the scheduled delay when that is longer.
    expect(decideRetry(policy, { attempt: 1, now, retryAfterMs: 365 * 24 * H })).toMatchObject({
      delayMs: H,
    });
    // Retry-After never adds an attempt beyond the schedule.
    expect(decideRetry(policy, { attempt: 4, now, retryAfterMs: 5 * S }).kind).toBe("dead-letter");
  });

  it("clamps to the scheduled delay when that is longer than an hour", () => {
    expect(clampRetryAfter(48 * H, 24 * H)).toBe(24 * H);
    expect(clampRetryAfter(48 * H, 5 * S)).toBe(H);
    expect(clampRetryAfter(10, 5 * S)).toBe(S);
  });
});
