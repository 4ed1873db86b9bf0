import type { EndpointDeliveryStats } from "@claimwire/contracts";
import { and, eq, gte, sql } from "drizzle-orm";
import type { Principal } from "../domain/api-keys.ts";
import { findEndpoint } from "../domain/endpoints.ts";
import type { Services } from "../domain/services.ts";
import { outcomeCounts } from "./outcome-counts.ts";
import {
  bucketStarts,
  fillOutcomeBuckets,
  LATENCY_EDGES_MS,
  latencyBuckets,
} from "./time-buckets.ts";

const HOURS = 48;
const DAYS = 30;

/**
 * An endpoint's attempts over time for the console's charts (a clinic its own endpoint,
 * staff any): outcomes per hour (48 h) and per UTC day (30 days), and a histogram of the
 * durations of the last 30 days. Three grouped queries over the endpoint's deliveries'
 * attempts since the window's start; the buckets no attempt fell in are filled here.
 */
export async function endpointDeliveryStats(
  services: Services,
  viewer: Principal,
  endpointId: string,
  now = new Date(),
): Promise<EndpointDeliveryStats> {
  const { store } = services;
  const { attempts, deliveries } = store.tables;
  await findEndpoint(store, store.db, viewer, endpointId);
  const hours = bucketStarts(now, "hour", HOURS);
  const days = bucketStarts(now, "day", DAYS);
  const since = (start: Date | undefined) =>
    and(
      eq(deliveries.endpointId, endpointId),
      gte(attempts.startedAt, (start ?? now).toISOString()),
    );
  const [hourly, daily, latency] = await Promise.all([
    outcomeCounts(store, "hour", since(hours[0]), true),
    outcomeCounts(store, "day", since(days[0]), true),
    latencyCounts(services, since(days[0])),
  ]);
  return {
    endpointId,
    asOf: now.toISOString(),
    hourly: fillOutcomeBuckets(hours, "hour", hourly),
    daily: fillOutcomeBuckets(days, "day", daily),
    latency: latencyBuckets(latency),
  };
}

/** How many attempts took how long: one count per LATENCY_EDGES_MS bucket, one query. */
async function latencyCounts(services: Services, where: ReturnType<typeof and>): Promise<number[]> {
  const { store } = services;
  const { attempts, deliveries } = store.tables;
  const columns = Object.fromEntries(
    LATENCY_EDGES_MS.map((minMs, i) => {
      const maxMs = LATENCY_EDGES_MS[i + 1];
      const inBucket =
        maxMs === undefined
          ? sql`${attempts.durationMs} >= ${minMs}`
          : sql`${attempts.durationMs} >= ${minMs} and ${attempts.durationMs} < ${maxMs}`;
      return [
        `b${i}`,
        sql<number>`coalesce(sum(case when ${inBucket} then 1 else 0 end), 0)`.mapWith(Number),
      ];
    }),
  );
  const [row] = await store.db
    .select(columns)
    .from(attempts)
    .innerJoin(deliveries, eq(deliveries.id, attempts.deliveryId))
    .where(where);
  return LATENCY_EDGES_MS.map((_, i) => Number(row?.[`b${i}`] ?? 0));
}
