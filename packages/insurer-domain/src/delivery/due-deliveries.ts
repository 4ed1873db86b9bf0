import type { Db } from "@claimwire/insurer-db";
import { sql } from "drizzle-orm";

export type DueDelivery = {
  id: string;
  endpointId: string;
  /** The endpoint's rate limit (requests per second), or null for none. */
  rateLimitPerSecond: number | null;
};

/**
 * The deliveries to dispatch now: due (first attempts, retries, resends, recoveries),
 * of enabled endpoints, oldest due first, at most `limit`, and per endpoint no more than
 * keeps `perEndpointInFlight` of its deliveries dispatched and not yet reported. A
 * clinic back from an outage, or a recovered time range, therefore drains through a
 * window of a few requests in flight instead of queueing thousands of tasks on the
 * shared stream ahead of every other clinic's; the rest waits here, due, and goes out as
 * the window frees. A delivery never waits for another endpoint's backlog.
 */
export function selectDueDeliveries(
  db: Db,
  at: string,
  limit: number,
  perEndpointInFlight: number,
): DueDelivery[] {
  // Rank each endpoint's due deliveries, oldest first, and keep the ranks that fit in the
  // room its in-flight deliveries leave.
  return db.all<DueDelivery>(sql`
    with due as (
      select id, endpoint_id, next_attempt_at,
        row_number() over (partition by endpoint_id order by next_attempt_at, id) as rank
      from deliveries
      where next_attempt_at is not null and next_attempt_at <= ${at}
    ),
    in_flight as (
      select endpoint_id, count(*) as n from deliveries
      where status = 'sending' and next_attempt_at is null
        and endpoint_id in (select endpoint_id from due)
      group by endpoint_id
    )
    select due.id as id, due.endpoint_id as endpointId,
      endpoints.rate_limit_per_second as rateLimitPerSecond
    from due
    join endpoints on endpoints.id = due.endpoint_id and endpoints.enabled = 1
    left join in_flight on in_flight.endpoint_id = due.endpoint_id
    where due.rank + coalesce(in_flight.n, 0) <= ${perEndpointInFlight}
    order by due.next_attempt_at, due.id
    limit ${limit}`);
}
