/**
 * Token buckets in memory, one per API key: `burst` requests at once, refilled at
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

/** Buckets full for this long are dropped (a full bucket is the same as none). */
const IDLE_SWEEP_EVERY_MS = 60_000;

export function createRateLimiter({
  perSecond,
  burst,
  now = Date.now,
}: RateLimitConfig): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let sweptAt = now();
  const capacity = Math.max(1, burst);

  function refill(bucket: { tokens: number; at: number }, at: number): void {
    bucket.tokens = Math.min(capacity, bucket.tokens + ((at - bucket.at) / 1000) * perSecond);
    bucket.at = at;
  }

  return {
    take(key) {
      if (perSecond <= 0) return { ok: true };
      const at = now();
      if (at - sweptAt >= IDLE_SWEEP_EVERY_MS) {
        sweptAt = at;
        for (const [k, b] of buckets) {
          refill(b, at);
          if (b.tokens >= capacity) buckets.delete(k);
        }
      }
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: capacity, at };
        buckets.set(key, bucket);
      }
      refill(bucket, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      const seconds = (1 - bucket.tokens) / perSecond;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(seconds)) };
    },
  };
}
