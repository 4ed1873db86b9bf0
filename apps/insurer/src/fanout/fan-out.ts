import { newId } from "@claimwire/contracts";
import {
  CONSUMERS,
  createConsumerLoop,
  type DeliveryTask,
  type DomainEventMessage,
  DomainEventMessageSchema,
  publishDeliveryTask,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { and, eq, inArray, lte } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/open-database.ts";
import { deliveries, endpoints } from "../db/schema.ts";
import { deliveryTask } from "../delivery/delivery-task.ts";

export type FanOutOptions = {
  db: Db;
  js: Queue["js"];
  log: Logger;
  /** Events handled at once; each publishes its delivery tasks concurrently. */
  concurrency?: number;
};

export type FanOut = { start(): void; stop(): Promise<void> };

/**
 * Records the deliveries an event needs, one per endpoint of its clinic that subscribes
 * to its type and existed when it was committed, and returns attempt 1 of each to
 * publish. An enabled endpoint's delivery starts "sending" (attempt 1 dispatched); a
 * disabled endpoint's is "failed" at once, without a request, so it can be recovered
 * after the endpoint is enabled again. An `endpoint.disabled` event is not delivered to
 * the endpoint it is about.
 *
 * Insert-or-ignore on (event, endpoint) makes a redelivered event create no second row;
 * deliveries of this event still at attempt 1 are returned again (their tasks dedup on
 * `${deliveryId}.1`), so a crash between commit and publish cannot lose them.
 */
export function recordDeliveries(db: Db, msg: DomainEventMessage): DeliveryTask[] {
  const createdAt = new Date().toISOString();
  const about = msg.event.type === "endpoint.disabled" ? msg.event.data.endpointId : null;
  return db.transaction((tx) => {
    const subscribed = tx
      .select()
      .from(endpoints)
      .where(and(eq(endpoints.clinicId, msg.clinicId), lte(endpoints.createdAt, msg.committedAt)))
      .all()
      .filter((endpoint) => endpoint.eventTypes.includes(msg.event.type) && endpoint.id !== about);
    if (subscribed.length === 0) return [];
    for (const endpoint of subscribed) {
      const row = endpoint.enabled
        ? { status: "sending" as const, attemptCount: 1, dispatchedAt: createdAt }
        : {
            status: "failed" as const,
            attemptCount: 0,
            lastErrorClass: "endpoint_disabled" as const,
            lastError: `Endpoint disabled ('${endpoint.disabledReason}') when the event was fanned out`,
          };
      tx.insert(deliveries)
        .values({
          id: newId("delivery"),
          eventId: msg.eventId,
          endpointId: endpoint.id,
          createdAt,
          ...row,
        })
        .onConflictDoNothing({ target: [deliveries.eventId, deliveries.endpointId] })
        .run();
    }
    const enabled = subscribed.filter((endpoint) => endpoint.enabled).map((e) => e.id);
    if (enabled.length === 0) return [];
    const firstAttempts = tx
      .select({ id: deliveries.id, endpointId: deliveries.endpointId })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.eventId, msg.eventId),
          inArray(deliveries.endpointId, enabled),
          eq(deliveries.status, "sending"),
          eq(deliveries.attemptCount, 1),
        ),
      )
      .all();
    const event = {
      id: msg.eventId,
      clinicId: msg.clinicId,
      committedAt: msg.committedAt,
      payload: msg.event,
    };
    return firstAttempts.map((delivery) =>
      deliveryTask({
        deliveryId: delivery.id,
        endpointId: delivery.endpointId,
        attemptNumber: 1,
        trigger: "scheduled",
        event,
      }),
    );
  });
}

/**
 * Consumes EVENTS and turns each event into attempt-1 delivery tasks on DELIVERIES. The
 * event is acked only after every task was acknowledged by JetStream; a crash before
 * that redelivers the event, and the tasks' Nats-Msg-Id drops the repeats. Each task's
 * stream sequence is kept, so the retry scheduler can tell a queued task from a lost one.
 */
export function createFanOut(opts: FanOutOptions): FanOut {
  return createConsumerLoop({
    js: opts.js,
    stream: STREAMS.events,
    consumer: CONSUMERS.fanout,
    schema: DomainEventMessageSchema,
    concurrency: opts.concurrency ?? 16,
    onError: (err, context) => opts.log.error({ err }, context),
    handle: async (event, msg) => {
      const tasks = recordDeliveries(opts.db, event);
      const acks = await Promise.all(tasks.map((task) => publishDeliveryTask(opts.js, task)));
      if (tasks.length > 0) {
        opts.db.transaction((tx) => {
          tasks.forEach((task, i) => {
            tx.update(deliveries)
              .set({ taskSeq: acks[i]?.seq ?? null })
              .where(and(eq(deliveries.id, task.deliveryId), eq(deliveries.attemptCount, 1)))
              .run();
          });
        });
      }
      msg.ack();
    },
  });
}
