import { createTokenBuckets } from "./token-buckets.ts";

/**
 * The API's rate limit: a token bucket per API key, `burst` requests at once, refilled at
 * `perSecond`. Per insurer process: N processes behind a balancer allow N times the rate.
 */
export type RateLimiter = {
  /** Takes one token for `key`; when none is left, the seconds until one is (≥ 1). */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
};

export type RateLimitConfig = {
  /** Tokens added per second; 0 turns limiting off. */
  perSecond: number;
  burst: number;
  now?: () => number;
};

export function createRateLimiter({ perSecond, burst, now }: RateLimitConfig): RateLimiter {
  const buckets = createTokenBuckets(now ? { now } : {});
  return {
    take(key) {
      if (perSecond <= 0) return { ok: true };
      const taken = buckets.take(key, { perSecond, burst });
      if (taken.ok) return taken;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(taken.waitMs / 1000)) };
    },
  };
}
