import type { Store } from "@claimwire/insurer-db";
import { type SQL, sql } from "drizzle-orm";
import { type BucketUnit, bucketKeyLength, type OutcomeRow } from "./time-buckets.ts";

/**
 * The attempts matching `where` (which must bound `started_at`), counted per time bucket
 * and outcome in one grouped query. Plain `substr` and `case` mean the same SQL runs on
 * both stores; counts are numbers on SQLite and bigint text on PostgreSQL, hence Number.
 */
export async function outcomeCounts(
  store: Store,
  unit: BucketUnit,
  where: SQL | undefined,
  fromDeliveries: boolean,
): Promise<OutcomeRow[]> {
  const { db } = store;
  const { attempts, deliveries } = store.tables;
  const key = sql<string>`substr(${attempts.startedAt}, 1, ${sql.raw(String(bucketKeyLength(unit)))})`;
  const failed = sql`${attempts.outcome} = 'failed'`;
  const count = (condition: SQL) =>
    sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`.mapWith(Number);
  const columns = {
    key,
    succeeded: count(sql`${attempts.outcome} = 'delivered'`),
    // A failed attempt after which the insurer scheduled another one.
    retried: count(sql`${failed} and ${attempts.nextAttemptAt} is not null`),
    failed: count(sql`${failed} and ${attempts.nextAttemptAt} is null`),
  };
  const rows = fromDeliveries
    ? await db
        .select(columns)
        .from(attempts)
        .innerJoin(deliveries, sql`${deliveries.id} = ${attempts.deliveryId}`)
        .where(where)
        .groupBy(key)
    : await db.select(columns).from(attempts).where(where).groupBy(key);
  return rows;
}
