import type {
  Delivery,
  DeliveryAttempt,
  DeliveryPage,
  DeliveryStatus,
  RecoverEndpointInputSchema,
} from "@claimwire/contracts";
import type { Db } from "@claimwire/insurer-db";
import { attempts, deliveries, endpoints, events } from "@claimwire/insurer-db";
import { and, asc, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Principal } from "./api-keys.ts";
import { decodeDeliveryCursor, encodeDeliveryCursor } from "./delivery-cursor.ts";
import { DomainError } from "./domain-error.ts";
import { endpointScope, findEndpoint } from "./endpoints.ts";
import type { Tx } from "./outbox.ts";
import type { Services } from "./services.ts";

type DeliveryRow = typeof deliveries.$inferSelect;
type AttemptRow = typeof attempts.$inferSelect;

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
function findDelivery(db: Db | Tx, viewer: Principal, deliveryId: string) {
  const found = db
    .select({ delivery: deliveries, endpoint: endpoints, event: events })
    .from(deliveries)
    .innerJoin(endpoints, eq(endpoints.id, deliveries.endpointId))
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(and(eq(deliveries.id, deliveryId), endpointScope(viewer)))
    .get();
  if (!found) throw deliveryNotFound(deliveryId);
  return found;
}

/** An endpoint's deliveries, newest first, optionally of one status (dead letters: "failed"). */
export function listDeliveries(
  services: Services,
  viewer: Principal,
  query: {
    endpointId: string;
    status?: DeliveryStatus | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): DeliveryPage {
  findEndpoint(services.db, viewer, query.endpointId);
  const conditions: SQL[] = [eq(deliveries.endpointId, query.endpointId)];
  if (query.status) conditions.push(eq(deliveries.status, query.status));
  if (query.cursor) conditions.push(lt(deliveries.id, decodeDeliveryCursor(query.cursor)));
  const rows = services.db
    .select({ delivery: deliveries, eventType: events.type })
    .from(deliveries)
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(and(...conditions))
    .orderBy(desc(deliveries.id))
    .limit(query.limit + 1)
    .all();
  const items = rows.slice(0, query.limit).map((r) => toDelivery(r.delivery, r.eventType));
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeDeliveryCursor(last.id) : null,
  };
}

/** Every recorded attempt of a delivery, oldest first. */
export function listAttempts(
  services: Services,
  viewer: Principal,
  deliveryId: string,
): DeliveryAttempt[] {
  findDelivery(services.db, viewer, deliveryId);
  return services.db
    .select()
    .from(attempts)
    .where(eq(attempts.deliveryId, deliveryId))
    .orderBy(asc(attempts.attemptNumber), asc(attempts.startedAt))
    .all()
    .map(toAttempt);
}

/** CONFLICT for a disabled endpoint: nothing is sent to one until it is enabled again. */
export function refuseDisabled(endpoint: typeof endpoints.$inferSelect): void {
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
export function resendDelivery(
  services: Services,
  viewer: Principal,
  deliveryId: string,
): Delivery {
  const at = new Date().toISOString();
  const queued = services.db.transaction(
    (tx) => {
      const { delivery, endpoint, event } = findDelivery(tx, viewer, deliveryId);
      refuseDisabled(endpoint);
      const row = tx
        .update(deliveries)
        .set({
          status: delivery.status === "delivered" ? "delivered" : "sending",
          nextAttemptAt: at,
          nextTrigger: "manual",
        })
        .where(eq(deliveries.id, delivery.id))
        .returning()
        .get()!;
      return toDelivery(row, event.type);
    },
    { behavior: "immediate" },
  );
  services.outbox.notify();
  return queued;
}

/**
 * Re-queues every failed delivery of an endpoint created in [since, until): each becomes
 * "retrying", due now, with trigger "manual" and a fresh retry schedule. The dispatcher
 * sends them through the endpoint's window, oldest first, so a recovery of thousands
 * cannot flood the workers. Returns how many were re-queued.
 */
export function recoverEndpoint(
  services: Services,
  viewer: Principal,
  input: z.output<typeof RecoverEndpointInputSchema>,
): { endpointId: string; count: number } {
  const now = new Date().toISOString();
  const until = input.until ?? now;
  const count = services.db.transaction(
    (tx) => {
      const endpoint = findEndpoint(tx, viewer, input.endpointId);
      refuseDisabled(endpoint);
      return tx
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
        .run().changes;
    },
    { behavior: "immediate" },
  );
  if (count > 0) services.outbox.notify();
  return { endpointId: input.endpointId, count };
}
