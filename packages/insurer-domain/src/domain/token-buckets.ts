/**
 * Token buckets in memory, one per key, each refilled at its own rate: the one rate
 * mechanism of the insurer, behind the API's per-key limits (rate-limiter.ts) and the
 * dispatcher's per-endpoint limits (delivery/dispatcher.ts). A key's bucket holds at
 * most `burst` tokens and starts full.
 */
export type TokenBuckets = {
  /** Takes one token for `key`; when none is left, the milliseconds until one is. */
  take(key: string, rate: BucketRate): { ok: true } | { ok: false; waitMs: number };
};

export type BucketRate = { perSecond: number; burst: number };

/** Buckets full for this long are dropped (a full bucket is the same as none). */
const IDLE_SWEEP_EVERY_MS = 60_000;

export function createTokenBuckets({ now = Date.now }: { now?: () => number } = {}): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number; capacity: number }>();
  let sweptAt = now();

  function refill(
    bucket: { tokens: number; at: number; capacity: number },
    perSecond: number,
    at: number,
  ) {
    bucket.tokens = Math.min(
      bucket.capacity,
      bucket.tokens + ((at - bucket.at) / 1000) * perSecond,
    );
    bucket.at = at;
  }

  return {
    take(key, { perSecond, burst }) {
      const at = now();
      const capacity = Math.max(1, burst);
      if (at - sweptAt >= IDLE_SWEEP_EVERY_MS) {
        sweptAt = at;
        // A bucket idle for a minute at any rate ≥ 1/min has refilled.
        for (const [k, b] of buckets) if (at - b.at >= IDLE_SWEEP_EVERY_MS) buckets.delete(k);
      }
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: capacity, at, capacity };
        buckets.set(key, bucket);
      }
      bucket.capacity = capacity;
      refill(bucket, perSecond, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, waitMs: Math.ceil(((1 - bucket.tokens) / perSecond) * 1000) };
    },
  };
}
