import type { Db } from "@claimwire/insurer-db";
import { sql } from "drizzle-orm";

export type DueDelivery = {
  id: string;
  endpointId: string;
  /** The endpoint's rate limit (requests per second), or null for none. */
  rateLimitPerSecond: number | null;
};

export type DueSelection = {
  due: DueDelivery[];
  /** Some due deliveries were left because their endpoint's window was full. */
  heldBack: boolean;
};

type DueRow = DueDelivery & { nextAttemptAt: string };

/**
 * The deliveries to dispatch now: due (first attempts, retries, resends, recoveries),
 * of enabled endpoints, oldest due first, at most `limit`, and per endpoint no more than
 * keeps `perEndpointInFlight` of its deliveries dispatched and not yet reported. A
 * clinic back from an outage, or a recovered time range, therefore drains through a
 * window of requests in flight instead of queueing thousands of tasks on the shared
 * stream ahead of every other clinic's; the rest waits here, due, and goes out as the
 * window frees. A delivery never waits for another endpoint's backlog: due rows are read
 * a page at a time, oldest first, past the endpoints whose window is full.
 */
export function selectDueDeliveries(
  db: Db,
  at: string,
  limit: number,
  perEndpointInFlight: number,
): DueSelection {
  const due: DueDelivery[] = [];
  /** Room left in each endpoint's window, for the endpoints seen so far. */
  const room = new Map<string, number>();
  let heldBack = false;
  let after: DueRow | undefined;
  while (due.length < limit) {
    const full = [...room].filter(([, left]) => left <= 0).map(([id]) => id);
    const page = db.all<DueRow>(sql`
      select d.id as id, d.endpoint_id as endpointId, d.next_attempt_at as nextAttemptAt,
        e.rate_limit_per_second as rateLimitPerSecond
      from deliveries d
      join endpoints e on e.id = d.endpoint_id and e.enabled = 1
      where d.next_attempt_at is not null and d.next_attempt_at <= ${at}
        ${after ? sql`and (d.next_attempt_at, d.id) > (${after.nextAttemptAt}, ${after.id})` : sql``}
        ${full.length > 0 ? sql`and d.endpoint_id not in ${full}` : sql``}
      order by d.next_attempt_at, d.id
      limit ${limit}`);
    if (page.length === 0) break;
    const unseen = [...new Set(page.map((row) => row.endpointId))].filter((id) => !room.has(id));
    if (unseen.length > 0) {
      const inFlight = new Map(
        db
          .all<{ endpointId: string; n: number }>(sql`
            select endpoint_id as endpointId, count(*) as n from deliveries
            where status = 'sending' and next_attempt_at is null and endpoint_id in ${unseen}
            group by endpoint_id`)
          .map((row) => [row.endpointId, row.n]),
      );
      for (const id of unseen) room.set(id, perEndpointInFlight - (inFlight.get(id) ?? 0));
    }
    for (const row of page) {
      const left = room.get(row.endpointId) ?? 0;
      if (left <= 0) {
        heldBack = true;
        continue;
      }
      room.set(row.endpointId, left - 1);
      due.push({
        id: row.id,
        endpointId: row.endpointId,
        rateLimitPerSecond: row.rateLimitPerSecond,
      });
      if (due.length === limit) break;
    }
    if (page.length < limit) break;
    after = page.at(-1);
  }
  return { due, heldBack };
}
