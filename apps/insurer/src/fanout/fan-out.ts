import { newId } from "@claimwire/contracts";
import {
  CONSUMERS,
  consumeMessages,
  type DeliveryTask,
  type DomainEventMessage,
  DomainEventMessageSchema,
  publishDeliveryTask,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { and, eq, inArray } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/open-database.ts";
import { deliveries, endpoints } from "../db/schema.ts";

export type FanOutOptions = {
  db: Db;
  js: Queue["js"];
  log: Logger;
  /** Events handled at once; each publishes its delivery tasks concurrently. */
  concurrency?: number;
};

export type FanOut = { start(): void; stop(): Promise<void> };

/**
 * Records the deliveries an event needs (one per enabled endpoint of the clinic that
 * subscribes to its type) and returns the pending ones to publish. Insert-or-ignore on
 * (event, endpoint) makes a redelivered event create no second row; rows from an earlier
 * try that never got published are returned again, so a crash cannot lose them.
 */
export function recordDeliveries(db: Db, msg: DomainEventMessage): DeliveryTask[] {
  const createdAt = new Date().toISOString();
  return db.transaction((tx) => {
    const subscribed = tx
      .select({ id: endpoints.id, eventTypes: endpoints.eventTypes })
      .from(endpoints)
      .where(and(eq(endpoints.clinicId, msg.clinicId), eq(endpoints.enabled, true)))
      .all()
      .filter((endpoint) => endpoint.eventTypes.includes(msg.event.type));
    if (subscribed.length === 0) return [];
    for (const endpoint of subscribed) {
      tx.insert(deliveries)
        .values({
          id: newId("delivery"),
          eventId: msg.eventId,
          endpointId: endpoint.id,
          status: "pending",
          attemptCount: 0,
          createdAt,
        })
        .onConflictDoNothing({ target: [deliveries.eventId, deliveries.endpointId] })
        .run();
    }
    const pending = tx
      .select({ id: deliveries.id, endpointId: deliveries.endpointId })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.eventId, msg.eventId),
          inArray(
            deliveries.endpointId,
            subscribed.map((endpoint) => endpoint.id),
          ),
          eq(deliveries.status, "pending"),
        ),
      )
      .all();
    // The body is serialised once here and signed byte for byte by the workers.
    const body = JSON.stringify(msg.event);
    return pending.map((delivery) => ({
      deliveryId: delivery.id,
      eventId: msg.eventId,
      endpointId: delivery.endpointId,
      clinicId: msg.clinicId,
      eventType: msg.event.type,
      body,
      committedAt: msg.committedAt,
    }));
  });
}

/**
 * Consumes EVENTS and turns each event into delivery tasks on DELIVERIES. The event is
 * acked only after every task was acknowledged by JetStream; a crash before that
 * redelivers the event, and the tasks' Nats-Msg-Id (the delivery id) drops the repeats.
 */
export function createFanOut(opts: FanOutOptions): FanOut {
  const abort = new AbortController();
  let loop: Promise<void> | undefined;
  return {
    start() {
      loop ??= consumeMessages({
        js: opts.js,
        stream: STREAMS.events,
        consumer: CONSUMERS.fanout,
        schema: DomainEventMessageSchema,
        concurrency: opts.concurrency ?? 16,
        signal: abort.signal,
        onError: (err, context) => opts.log.error({ err }, context),
        handle: async (event, msg) => {
          const tasks = recordDeliveries(opts.db, event);
          await Promise.all(tasks.map((task) => publishDeliveryTask(opts.js, task)));
          msg.ack();
        },
      });
    },
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
