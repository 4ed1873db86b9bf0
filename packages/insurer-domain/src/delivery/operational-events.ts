import {
  CLAIM_EVENT_TYPES,
  type DeliveryErrorClass,
  DeliveryExhaustedEventSchema,
  DeliveryFailingEventSchema,
  EndpointRecoveredEventSchema,
} from "@claimwire/contracts";
import type { Db, Store } from "@claimwire/insurer-db";
import { and, eq, gte, inArray, isNull, ne, notInArray, or, sql } from "drizzle-orm";
import { appendEvent } from "../domain/outbox.ts";
import { NOT_THE_ENDPOINTS_FAULT } from "./endpoint-fault.ts";

/**
 * The operational events the attempt recorder raises, each inside the transaction of the
 * state change that triggers it, so each is raised exactly once however many insurer
 * processes record (docs/delivery.md, "Operational events"):
 * - `delivery.failing`: the attempt that brings a delivery's failed attempts to
 *   DELIVERY_FAILING_AFTER_ATTEMPTS (the count only grows, one row per attempt);
 * - `delivery.exhausted`: the retry schedule dead-letters a delivery;
 * - `endpoint.recovered`: a 2xx clears the endpoint's failing run (failing_since) after
 *   at least DELIVERY_FAILING_AFTER_ATTEMPTS failed attempts in that run: an endpoint
 *   that fails now and then (one 500 between successes) is not news each time.
 *
 * No cascade: only deliveries of claim events raise the delivery events, and a failing
 * run raises `endpoint.recovered` only if enough of its failures were claim events'. A
 * failing operational event's delivery (say, `endpoint.recovered` sent to a flapping
 * endpoint) therefore never raises another operational event.
 */

/** Whether the deliveries of an event type may raise operational events: claim events only. */
export function raisesOperationalEvents(eventType: string): boolean {
  return (CLAIM_EVENT_TYPES as readonly string[]).includes(eventType);
}

/** The delivery and the failed attempt a delivery event is about. */
export type FailedDelivery = {
  endpointId: string;
  clinicId: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  lastStatusCode: number | null;
  lastErrorClass: DeliveryErrorClass | null;
  lastFailedAt: string;
};

/** A delivery's failed attempts so far (this transaction's included), and when the first began. */
export async function failedAttemptsOf(
  store: Store,
  tx: Db,
  deliveryId: string,
): Promise<{ count: number; firstFailedAt: string | null }> {
  const { attempts } = store.tables;
  const [row] = await tx
    .select({
      count: sql<number>`count(*)`.mapWith(Number),
      firstFailedAt: sql<string | null>`min(${attempts.startedAt})`,
    })
    .from(attempts)
    .where(and(eq(attempts.deliveryId, deliveryId), eq(attempts.outcome, "failed")));
  return { count: row?.count ?? 0, firstFailedAt: row?.firstFailedAt ?? null };
}

/** Appends `delivery.failing` or `delivery.exhausted` (to the clinic's other endpoints). */
export async function appendDeliveryEvent(
  store: Store,
  tx: Db,
  type: "delivery.failing" | "delivery.exhausted",
  delivery: FailedDelivery,
  failures: { count: number; firstFailedAt: string | null },
  at: string,
): Promise<void> {
  const data = {
    ...delivery,
    failedAttempts: failures.count,
    firstFailedAt: failures.firstFailedAt ?? delivery.lastFailedAt,
  };
  const event =
    type === "delivery.failing"
      ? DeliveryFailingEventSchema.parse({ type, timestamp: at, data })
      : DeliveryExhaustedEventSchema.parse({
          type,
          timestamp: at,
          data: { ...data, exhaustedAt: at },
        });
  await appendEvent(store, tx, event, at);
}

/**
 * Called when a 2xx ends an endpoint's failing run (before the successful delivery's row
 * is updated): appends `endpoint.recovered` if the run's failed attempts of claim events'
 * deliveries reach `failingAfterAttempts`, and says whether it did. The run's failures are the failed attempts since
 * `failingSince` of the endpoint's deliveries not delivered: a delivered one cannot have
 * failed during the run, since its success would have ended it.
 */
export async function appendEndpointRecoveredIfDue(
  store: Store,
  tx: Db,
  endpoint: { id: string; clinicId: string; failingSince: string },
  deliveryId: string,
  at: string,
  failingAfterAttempts: number,
): Promise<boolean> {
  const { attempts, deliveries, events } = store.tables;
  const isClaimEvent = inArray(events.type, CLAIM_EVENT_TYPES);
  const [run] = await tx
    .select({
      failedAttempts: sql<number>`count(*)`.mapWith(Number),
      ofClaimEvents:
        sql<number>`coalesce(sum(case when ${isClaimEvent} then 1 else 0 end), 0)`.mapWith(Number),
    })
    .from(attempts)
    .innerJoin(deliveries, eq(deliveries.id, attempts.deliveryId))
    .innerJoin(events, eq(events.id, deliveries.eventId))
    .where(
      and(
        eq(deliveries.endpointId, endpoint.id),
        ne(deliveries.status, "delivered"),
        eq(attempts.outcome, "failed"),
        gte(attempts.startedAt, endpoint.failingSince),
        or(
          isNull(attempts.errorClass),
          notInArray(attempts.errorClass, [...NOT_THE_ENDPOINTS_FAULT]),
        ),
      ),
    );
  if (!run || run.ofClaimEvents < failingAfterAttempts) return false;
  const event = EndpointRecoveredEventSchema.parse({
    type: "endpoint.recovered",
    timestamp: at,
    data: {
      endpointId: endpoint.id,
      clinicId: endpoint.clinicId,
      failingSince: endpoint.failingSince,
      failedAttempts: run.failedAttempts,
      deliveryId,
      recoveredAt: at,
    },
  });
  await appendEvent(store, tx, event, at);
  return true;
}
