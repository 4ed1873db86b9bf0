import type {
  Delivery,
  DeliveryAttempt,
  DeliveryPage,
  DeliveryStatus,
  RecoverEndpointInputSchema,
} from "@claimwire/contracts";
import type { Db, Store, Tables } from "@claimwire/insurer-db";
import { and, asc, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Principal } from "./api-keys.ts";
import { decodeDeliveryCursor, encodeDeliveryCursor } from "./delivery-cursor.ts";
import { DomainError } from "./domain-error.ts";
import { endpointScope, findEndpoint } from "./endpoints.ts";
import type { Services } from "./services.ts";

type DeliveryRow = Tables["deliveries"]["$inferSelect"];
type AttemptRow = Tables["attempts"]["$inferSelect"];

export function toDelivery(row: DeliveryRow, eventType: Delivery["eventType"]): Delivery {
  return {
    id: row.id,
    eventId: row.eventId,
    endpointId: row.endpointId,
    eventType,
    status: row.status,
    attemptCount: row.attemptCount,
    lastStatusCode: row.lastStatusCode,
    lastErrorClass: row.lastErrorClass,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}

function toAttempt(row: AttemptRow): DeliveryAttempt {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    attemptNumber: row.attemptNumber,
    trigger: row.trigger,
    startedAt: row.startedAt,
    durationMs: row.durationMs,
    outcome: row.outcome,
    statusCode: row.statusCode,
    errorClass: row.errorClass,
    error: row.error,
    retryAfterMs: row.retryAfterMs,
    responseHeaders: row.responseHeaders,
    responseBody: row.responseBody,
    nextAttemptAt: row.nextAttemptAt,
  };
}

function deliveryNotFound(deliveryId: string): DomainError {
  return new DomainError("NOT_FOUND", `No delivery with id '${deliveryId}'`);
}

/** A delivery with its endpoint and event, if the viewer may see it (else NOT_FOUND). */
async function findDelivery(store: Store, db: Db, viewer: Principal, deliveryId: string) {
  const { deliveries, endpoints, events } = store.tables;
  const [found] = await db
    .select({ delivery: deliveries, endpoint: endpoints, event: events })
    .from(deliveries)
    .innerJoin(endpoints, eq(endpoints.id, deliveries.endpointId))
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(and(eq(deliveries.id, deliveryId), endpointScope(store, viewer)));
  if (!found) throw deliveryNotFound(deliveryId);
  return found;
}

/** An endpoint's deliveries, newest first, optionally of one status (dead letters: "failed"). */
export async function listDeliveries(
  services: Services,
  viewer: Principal,
  query: {
    endpointId: string;
    status?: DeliveryStatus | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<DeliveryPage> {
  const { store } = services;
  const { deliveries, events } = store.tables;
  await findEndpoint(store, store.db, viewer, query.endpointId);
  const conditions: SQL[] = [eq(deliveries.endpointId, query.endpointId)];
  if (query.status) conditions.push(eq(deliveries.status, query.status));
  if (query.cursor) conditions.push(lt(deliveries.id, decodeDeliveryCursor(query.cursor)));
  const rows = await store.db
    .select({ delivery: deliveries, eventType: events.type })
    .from(deliveries)
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(and(...conditions))
    .orderBy(desc(deliveries.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map((r) => toDelivery(r.delivery, r.eventType));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeDeliveryCursor(last.id) : null,
  };
}

/** Every recorded attempt of a delivery, oldest first. */
export async function listAttempts(
  services: Services,
  viewer: Principal,
  deliveryId: string,
): Promise<DeliveryAttempt[]> {
  const { store } = services;
  const { attempts } = store.tables;
  await findDelivery(store, store.db, viewer, deliveryId);
  const rows = await store.db
    .select()
    .from(attempts)
    .where(eq(attempts.deliveryId, deliveryId))
    .orderBy(asc(attempts.attemptNumber), asc(attempts.startedAt));
  return rows.map(toAttempt);
}

/** CONFLICT for a disabled endpoint: nothing is sent to one until it is enabled again. */
export function refuseDisabled(endpoint: Tables["endpoints"]["$inferSelect"]): void {
  if (!endpoint.enabled) {
    throw new DomainError(
      "CONFLICT",
      `Endpoint '${endpoint.id}' is disabled ('${endpoint.disabledReason}'); enable it first`,
    );
  }
}

/**
 * Sends one delivery again, now, as a new attempt with trigger "manual", even one
 * already delivered; the webhook-id (event id) stays the same, so the clinic's dedup
 * recognises it. The attempt is queued for the dispatcher (due now, after any attempt
 * still in flight) and goes out with a fresh retry schedule; a delivered delivery stays
 * delivered whatever this attempt does.
 */
export async function resendDelivery(
  services: Services,
  viewer: Principal,
  deliveryId: string,
): Promise<Delivery> {
  const { store } = services;
  const { deliveries } = store.tables;
  const at = new Date().toISOString();
  const queued = await store.transaction(async (tx) => {
    const { delivery, endpoint, event } = await findDelivery(store, tx, viewer, deliveryId);
    refuseDisabled(endpoint);
    const [row] = await tx
      .update(deliveries)
      .set({
        status: delivery.status === "delivered" ? "delivered" : "sending",
        nextAttemptAt: at,
        nextTrigger: "manual",
      })
      .where(eq(deliveries.id, delivery.id))
      .returning();
    if (!row) throw deliveryNotFound(deliveryId);
    return toDelivery(row, event.type);
  });
  services.outbox.notify();
  return queued;
}

/**
 * Re-queues every failed delivery of an endpoint created in [since, until): each becomes
 * "retrying", due now, with trigger "manual" and a fresh retry schedule. The dispatcher
 * sends them through the endpoint's window, oldest first, so a recovery of thousands
 * cannot flood the workers. Returns how many were re-queued.
 */
export async function recoverEndpoint(
  services: Services,
  viewer: Principal,
  input: z.output<typeof RecoverEndpointInputSchema>,
): Promise<{ endpointId: string; count: number }> {
  const { store } = services;
  const { deliveries } = store.tables;
  const now = new Date().toISOString();
  const until = input.until ?? now;
  const count = await store.transaction(async (tx) => {
    const endpoint = await findEndpoint(store, tx, viewer, input.endpointId);
    refuseDisabled(endpoint);
    const recovered = await tx
      .update(deliveries)
      .set({ status: "retrying", nextAttemptAt: now, nextTrigger: "manual" })
      .where(
        and(
          eq(deliveries.endpointId, endpoint.id),
          eq(deliveries.status, "failed"),
          gte(deliveries.createdAt, input.since),
          lt(deliveries.createdAt, until),
        ),
      )
      .returning({ id: deliveries.id });
    return recovered.length;
  });
  if (count > 0) services.outbox.notify();
  return { endpointId: input.endpointId, count };
}
