import type { Store } from "@claimwire/insurer-db";
import { eq, lt, sql } from "drizzle-orm";
import { createTokenBuckets } from "./token-buckets.ts";

/**
 * The API's rate limit: a token bucket per API key, `burst` requests at once, refilled at
 * `perSecond`, held across every insurer process that shares the store.
 */
export type RateLimiter = {
  /** Takes one token for `key`; when none is left, the seconds until one is (≥ 1). */
  take(key: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
};

export type RateLimitConfig = {
  /** Tokens added per second; 0 turns limiting off. */
  perSecond: number;
  burst: number;
  now?: () => number;
};

/** Full buckets (rows whose time has passed) are deleted this often at most. */
const SWEEP_EVERY_MS = 60_000;

/**
 * One SQLite process keeps its buckets in memory. On PostgreSQL several processes share
 * the limit, so each key's bucket is a row (GCRA: the time at which the bucket is full
 * again), taken with one atomic upsert per request: a request may go when taking a token
 * leaves the bucket no emptier than `burst` tokens.
 */
export function createRateLimiter(store: Store, config: RateLimitConfig): RateLimiter {
  const { perSecond, burst, now = Date.now } = config;
  if (perSecond <= 0) return { take: async () => ({ ok: true }) };
  const capacity = Math.max(1, burst);
  const retryAfter = (waitMs: number) => ({
    ok: false as const,
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  });

  if (store.dialect === "sqlite") {
    const buckets = createTokenBuckets({ now });
    return {
      async take(key) {
        const taken = buckets.take(key, { perSecond, burst: capacity });
        return taken.ok ? taken : retryAfter(taken.waitMs);
      },
    };
  }

  const { rateLimits } = store.tables;
  /** Milliseconds one token stands for, and the most a bucket may be behind. */
  const interval = 1000 / perSecond;
  const window = capacity * interval;
  let sweptAt = Number.NEGATIVE_INFINITY;
  return {
    async take(key) {
      const at = now();
      if (at - sweptAt >= SWEEP_EVERY_MS) {
        sweptAt = at;
        await store.db.delete(rateLimits).where(lt(rateLimits.tat, at));
      }
      // One statement, outside a transaction: the upsert sees the latest row even when
      // other processes take tokens of the same key at the same moment.
      const next = sql`greatest(${rateLimits.tat}, ${at}::double precision) + ${interval}::double precision`;
      const taken = await store.db
        .insert(rateLimits)
        .values({ key, tat: at + interval })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: { tat: next },
          setWhere: sql`${next} - ${at}::double precision <= ${window}::double precision`,
        })
        .returning({ tat: rateLimits.tat });
      if (taken.length > 0) return { ok: true };
      const [bucket] = await store.db
        .select({ tat: rateLimits.tat })
        .from(rateLimits)
        .where(eq(rateLimits.key, key));
      return retryAfter((bucket?.tat ?? at) + interval - window - at);
    },
  };
}
