import type { LatencyBucket, OutcomeBucket } from "@claimwire/contracts";

/**
 * Fixed-width UTC time buckets keyed by a prefix of an ISO-8601 timestamp. Timestamps are
 * stored as `toISOString()` text on both stores, so `substr(started_at, 1, n)` groups
 * them by minute, hour or day in the same SQL on SQLite and PostgreSQL, and this module
 * turns those keys back into bucket starts and fills the buckets no row fell in.
 */
export type BucketUnit = "minute" | "hour" | "day";

const UNIT = {
  // "2026-12-03T18:37", "2026-12-03T18", "2026-12-03": how much of the timestamp is the key.
  minute: { ms: 60_000, keyLength: 16 },
  hour: { ms: 3_600_000, keyLength: 13 },
  day: { ms: 86_400_000, keyLength: 10 },
} as const satisfies Record<BucketUnit, { ms: number; keyLength: number }>;

/** How many characters of an ISO timestamp name its bucket (the SQL `substr` length). */
export function bucketKeyLength(unit: BucketUnit): number {
  return UNIT[unit].keyLength;
}

/** The bucket an instant falls in: the prefix of its ISO form. */
export function bucketKey(instant: Date, unit: BucketUnit): string {
  return instant.toISOString().slice(0, UNIT[unit].keyLength);
}

/**
 * The starts of the `count` buckets that end with the one holding `now` (oldest first).
 * The first is where a query over these buckets starts.
 */
export function bucketStarts(now: Date, unit: BucketUnit, count: number): Date[] {
  const { ms } = UNIT[unit];
  // UTC minutes, hours and days all start at a multiple of their length since the epoch.
  const current = Math.floor(now.getTime() / ms) * ms;
  return Array.from({ length: count }, (_, i) => new Date(current - (count - 1 - i) * ms));
}

/** What SQL returned for one bucket key. */
export type OutcomeRow = { key: string; succeeded: number; retried: number; failed: number };

/**
 * One bucket per start, with the counts of the row of its key, zeros where there is none.
 * Rows whose key is not one of the buckets (outside the window) are ignored.
 */
export function fillOutcomeBuckets(
  starts: Date[],
  unit: BucketUnit,
  rows: OutcomeRow[],
): OutcomeBucket[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return starts.map((start) => {
    const row = byKey.get(bucketKey(start, unit));
    return {
      start: start.toISOString(),
      succeeded: row?.succeeded ?? 0,
      retried: row?.retried ?? 0,
      failed: row?.failed ?? 0,
    };
  });
}

/**
 * The latency histogram's bucket edges in milliseconds: roughly ×2–2.5 apart, from a
 * fast local answer to the worker's timeout and beyond. The last bucket has no upper bound.
 */
export const LATENCY_EDGES_MS = [0, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000] as const;

/** The histogram's buckets with their counts (`counts[i]` belongs to edge i). */
export function latencyBuckets(counts: readonly number[]): LatencyBucket[] {
  return LATENCY_EDGES_MS.map((minMs, i) => ({
    minMs,
    maxMs: LATENCY_EDGES_MS[i + 1] ?? null,
    attempts: counts[i] ?? 0,
  }));
}
