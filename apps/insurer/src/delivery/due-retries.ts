import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/open-database.ts";
import { deliveries, events } from "../db/schema.ts";

export type DueRetry = {
  delivery: typeof deliveries.$inferSelect;
  event: typeof events.$inferSelect;
};

/**
 * The retries to release now: due, oldest due first, at most `limit`, and per endpoint
 * no more than keeps `perEndpointInFlight` of its deliveries "sending" (on DELIVERIES or
 * with a worker). So a clinic back from an outage, or a recovered time range, drains
 * through a window the size of a few of its requests in flight instead of queueing
 * thousands of tasks on the shared stream ahead of every other clinic's new ones; the
 * rest waits here in SQLite, due, and goes out as the window frees (the attempt recorder
 * wakes the scheduler). A retry never waits for another endpoint's backlog.
 */
export function selectDueRetries(
  db: Db,
  at: string,
  limit: number,
  perEndpointInFlight: number,
): DueRetry[] {
  // Rank each endpoint's due retries, oldest first, and keep the ranks that fit in the
  // room its in-flight deliveries leave.
  const ids = db
    .all<{ id: string }>(sql`
      with due as (
        select id, endpoint_id, next_attempt_at,
          row_number() over (partition by endpoint_id order by next_attempt_at, id) as rank
        from deliveries
        where status = 'retrying' and next_attempt_at <= ${at}
      ),
      in_flight as (
        select endpoint_id, count(*) as n from deliveries
        where status = 'sending' and endpoint_id in (select endpoint_id from due)
        group by endpoint_id
      )
      select due.id from due
      left join in_flight on in_flight.endpoint_id = due.endpoint_id
      where due.rank + coalesce(in_flight.n, 0) <= ${perEndpointInFlight}
      order by due.next_attempt_at, due.id
      limit ${limit}`)
    .map((row) => row.id);
  if (ids.length === 0) return [];
  return db
    .select({ delivery: deliveries, event: events })
    .from(deliveries)
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(inArray(deliveries.id, ids))
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
    .all();
}
