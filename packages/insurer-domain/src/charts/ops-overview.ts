import type { OpsOverview, OverviewEndpoint } from "@claimwire/contracts";
import { and, asc, eq, gte, inArray, isNotNull, type SQL, sql } from "drizzle-orm";
import type { Services } from "../domain/services.ts";
import { outcomeCounts } from "./outcome-counts.ts";
import { bucketStarts, fillOutcomeBuckets } from "./time-buckets.ts";

const MINUTES = 60;
/** How many endpoints of each group the overview names; the count covers them all. */
const LISTED = 20;

/**
 * Delivery across every clinic, for insurer staff (the router allows no one else):
 * attempts per minute for the last hour, the failing and the disabled endpoints, and
 * the oldest delivery still sending or waiting for a retry. A handful of small queries,
 * each bounded by time, an index or a limit.
 */
export async function opsOverview(services: Services, now = new Date()): Promise<OpsOverview> {
  const { store } = services;
  const { attempts, deliveries, endpoints } = store.tables;
  const minutes = bucketStarts(now, "minute", MINUTES);
  const sinceMinute = (minutes[0] ?? now).toISOString();
  const group = async (where: SQL | undefined, oldestFirst: SQL) => {
    const [total] = await store.db
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(endpoints)
      .where(where);
    const rows = await store.db
      .select({
        id: endpoints.id,
        clinicId: endpoints.clinicId,
        url: endpoints.url,
        failingSince: endpoints.failingSince,
        disabledReason: endpoints.disabledReason,
        disabledAt: endpoints.disabledAt,
      })
      .from(endpoints)
      .where(where)
      .orderBy(oldestFirst, asc(endpoints.id))
      .limit(LISTED);
    return { count: total?.count ?? 0, endpoints: rows satisfies OverviewEndpoint[] };
  };
  const [perMinute, failingEndpoints, disabledEndpoints, [oldest]] = await Promise.all([
    outcomeCounts(store, "minute", gte(attempts.startedAt, sinceMinute), false),
    group(
      and(eq(endpoints.enabled, true), isNotNull(endpoints.failingSince)),
      asc(endpoints.failingSince),
    ),
    group(eq(endpoints.enabled, false), asc(endpoints.disabledAt)),
    store.db
      .select({
        deliveryId: deliveries.id,
        endpointId: deliveries.endpointId,
        createdAt: deliveries.createdAt,
      })
      .from(deliveries)
      .where(inArray(deliveries.status, ["sending", "retrying"]))
      .orderBy(asc(deliveries.createdAt), asc(deliveries.id))
      .limit(1),
  ]);
  return {
    asOf: now.toISOString(),
    perMinute: fillOutcomeBuckets(minutes, "minute", perMinute),
    failingEndpoints,
    disabledEndpoints,
    oldestUndelivered: oldest
      ? { ...oldest, ageMs: Math.max(0, now.getTime() - Date.parse(oldest.createdAt)) }
      : null,
  };
}
