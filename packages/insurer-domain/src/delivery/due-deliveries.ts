import type { Store } from "@claimwire/insurer-db";
import { and, asc, count, eq, inArray, isNull, lte, notInArray, sql } from "drizzle-orm";

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
export async function selectDueDeliveries(
  store: Store,
  at: string,
  limit: number,
  perEndpointInFlight: number,
): Promise<DueSelection> {
  const { db, tables } = store;
  const { deliveries, endpoints } = tables;
  const due: DueDelivery[] = [];
  /** Room left in each endpoint's window, for the endpoints seen so far. */
  const room = new Map<string, number>();
  let heldBack = false;
  let after: DueRow | undefined;
  while (due.length < limit) {
    const full = [...room].filter(([, left]) => left <= 0).map(([id]) => id);
    const page = (await db
      .select({
        id: deliveries.id,
        endpointId: deliveries.endpointId,
        nextAttemptAt: deliveries.nextAttemptAt,
        rateLimitPerSecond: endpoints.rateLimitPerSecond,
      })
      .from(deliveries)
      .innerJoin(
        endpoints,
        and(eq(endpoints.id, deliveries.endpointId), eq(endpoints.enabled, true)),
      )
      .where(
        and(
          // `<=` also excludes nulls, as the partial index deliveries_due_idx does.
          lte(deliveries.nextAttemptAt, at),
          after
            ? sql`(${deliveries.nextAttemptAt}, ${deliveries.id}) > (${after.nextAttemptAt}, ${after.id})`
            : undefined,
          full.length > 0 ? notInArray(deliveries.endpointId, full) : undefined,
        ),
      )
      .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
      .limit(limit)) as DueRow[];
    if (page.length === 0) break;
    const unseen = [...new Set(page.map((row) => row.endpointId))].filter((id) => !room.has(id));
    if (unseen.length > 0) {
      const counted = await db
        .select({ endpointId: deliveries.endpointId, n: count() })
        .from(deliveries)
        .where(
          and(
            eq(deliveries.status, "sending"),
            isNull(deliveries.nextAttemptAt),
            inArray(deliveries.endpointId, unseen),
          ),
        )
        .groupBy(deliveries.endpointId);
      const inFlight = new Map(counted.map((row) => [row.endpointId, row.n]));
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
