import type { EndpointStats } from "@claimwire/contracts";

import { and, desc, eq, sql } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { findEndpoint } from "./endpoints.ts";
import type { Services } from "./services.ts";

/**
 * An endpoint's delivery record (a clinic its own, staff any): every attempt reported
 * for its deliveries (scheduled, retried and manual alike), the latest failure, and how
 * many of its deliveries are pending, delivered or failed now. Three indexed queries
 * over the attempts and deliveries tables; nothing is cached.
 */
export async function endpointStats(
  services: Services,
  viewer: Principal,
  endpointId: string,
): Promise<EndpointStats> {
  const { store } = services;
  const { db } = store;
  const { attempts, deliveries } = store.tables;
  await findEndpoint(store, db, viewer, endpointId);
  const ofEndpoint = eq(deliveries.endpointId, endpointId);
  const delivered = sql`${attempts.outcome} = 'delivered'`;
  // Counts and sums are numbers on SQLite and text (bigint, numeric) on PostgreSQL.
  const [totals] = await db
    .select({
      attempts: sql<number>`count(*)`.mapWith(Number),
      successes: sql<number>`coalesce(sum(case when ${delivered} then 1 else 0 end), 0)`.mapWith(
        Number,
      ),
      lastAttemptAt: sql<string | null>`max(${attempts.startedAt})`,
      lastSuccessAt: sql<string | null>`max(case when ${delivered} then ${attempts.startedAt} end)`,
    })
    .from(attempts)
    .innerJoin(deliveries, eq(deliveries.id, attempts.deliveryId))
    .where(ofEndpoint);
  if (!totals) throw new Error("an aggregate query returned no row");
  const [lastFailure] = await db
    .select({
      at: attempts.startedAt,
      error: attempts.error,
      errorClass: attempts.errorClass,
      statusCode: attempts.statusCode,
    })
    .from(attempts)
    .innerJoin(deliveries, eq(deliveries.id, attempts.deliveryId))
    .where(and(ofEndpoint, eq(attempts.outcome, "failed")))
    .orderBy(desc(attempts.startedAt))
    .limit(1);
  const byStatus = await db
    .select({ status: deliveries.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(deliveries)
    .where(ofEndpoint)
    .groupBy(deliveries.status);
  const count = (...statuses: string[]) =>
    byStatus.filter((row) => statuses.includes(row.status)).reduce((n, row) => n + row.count, 0);
  return {
    endpointId,
    attempts: totals.attempts,
    successes: totals.successes,
    failures: totals.attempts - totals.successes,
    successRate: totals.attempts === 0 ? null : totals.successes / totals.attempts,
    lastAttemptAt: totals.lastAttemptAt,
    lastSuccessAt: totals.lastSuccessAt,
    lastError: lastFailure
      ? {
          at: lastFailure.at,
          message: lastFailure.error ?? lastFailure.errorClass ?? "failed",
          statusCode: lastFailure.statusCode,
        }
      : null,
    deliveries: {
      pending: count("sending", "retrying"),
      delivered: count("delivered"),
      failed: count("failed"),
    },
  };
}
