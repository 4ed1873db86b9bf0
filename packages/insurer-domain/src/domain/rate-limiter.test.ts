import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limiter.ts";

describe("createRateLimiter", () => {
  it("allows the burst, then refuses until tokens refill", () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 2, burst: 3, now: () => now });
    for (let i = 0; i < 3; i++) expect(limiter.take("k").ok).toBe(true);
    expect(limiter.take("k")).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("other").ok).toBe(true);
    now += 500;
    expect(limiter.take("k").ok).toBe(true);
    expect(limiter.take("k").ok).toBe(false);
  });

  it("rounds Retry-After up to whole seconds", () => {
    const limiter = createRateLimiter({ perSecond: 0.25, burst: 1, now: () => 0 });
    expect(limiter.take("k").ok).toBe(true);
    expect(limiter.take("k")).toEqual({ ok: false, retryAfterSeconds: 4 });
  });

  it("is off at 0 per second", () => {
    const limiter = createRateLimiter({ perSecond: 0, burst: 1, now: () => 0 });
    for (let i = 0; i < 10; i++) expect(limiter.take("k").ok).toBe(true);
  });
});
