import { newId } from "@claimwire/ids";
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
import { createTickBatcher } from "../batching/tick-batcher.ts";
import type { Db } from "../db/open-database.ts";
import { deliveries, endpoints } from "../db/schema.ts";
import { deliveryTask } from "../delivery/delivery-task.ts";
import { endpointReceives } from "../domain/endpoint-subscription.ts";
import type { Tx } from "../domain/outbox.ts";

export type FanOutOptions = {
  db: Db;
  js: Queue["js"];
  log: Logger;
  /** Events in hand at once; each publishes its delivery tasks concurrently. */
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
  return db.transaction((tx) => recordDeliveriesIn(tx, msg));
}

/** Rows per INSERT: 9 bound values each, well under SQLite's limit of 32,766 per statement. */
const INSERT_CHUNK = 500;

/** `recordDeliveries` inside a transaction the caller holds (fan-out batches many events in one). */
function recordDeliveriesIn(tx: Tx, msg: DomainEventMessage): DeliveryTask[] {
  const createdAt = new Date().toISOString();
  const subscribed = tx
    .select()
    .from(endpoints)
    .where(and(eq(endpoints.clinicId, msg.clinicId), lte(endpoints.createdAt, msg.committedAt)))
    .all()
    .filter((endpoint) => endpointReceives(endpoint, msg.event));
  if (subscribed.length === 0) return [];
  const rows = subscribed.map((endpoint) => ({
    id: newId("delivery"),
    eventId: msg.eventId,
    endpointId: endpoint.id,
    createdAt,
    ...(endpoint.enabled
      ? {
          status: "sending" as const,
          attemptCount: 1,
          dispatchedAt: createdAt,
          lastErrorClass: null,
          lastError: null,
        }
      : {
          status: "failed" as const,
          attemptCount: 0,
          dispatchedAt: null,
          lastErrorClass: "endpoint_disabled" as const,
          lastError: `Endpoint disabled ('${endpoint.disabledReason}') when the event was fanned out`,
        }),
  }));
  // One multi-row statement per chunk (a fan-out to 1,000 endpoints was 1,000 statements);
  // RETURNING gives the rows it inserted, so the usual case needs no read-back.
  const inserted: { id: string; endpointId: string; status: string }[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    inserted.push(
      ...tx
        .insert(deliveries)
        .values(rows.slice(i, i + INSERT_CHUNK))
        .onConflictDoNothing({ target: [deliveries.eventId, deliveries.endpointId] })
        .returning({
          id: deliveries.id,
          endpointId: deliveries.endpointId,
          status: deliveries.status,
        })
        .all(),
    );
  }
  const enabled = subscribed.filter((endpoint) => endpoint.enabled).map((e) => e.id);
  if (enabled.length === 0) return [];
  // A redelivered event inserted nothing: its deliveries still at attempt 1 are read back.
  const firstAttempts =
    inserted.length === rows.length
      ? inserted.filter((delivery) => delivery.status === "sending")
      : tx
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
}

/**
 * Consumes EVENTS and turns each event into attempt-1 delivery tasks on DELIVERIES. The
 * event is acked only after every task was acknowledged by JetStream; a crash before
 * that redelivers the event, and the tasks' Nats-Msg-Id drops the repeats. Each task's
 * stream sequence is kept, so the retry scheduler can tell a queued task from a lost one.
 */
export function createFanOut(opts: FanOutOptions): FanOut {
  const { db } = opts;
  // Group commit (issue 4, item 4): the events of one read share a transaction, and so do
  // the stream sequences of their tasks, instead of two commits per event.
  const record = createTickBatcher((msgs: DomainEventMessage[]) =>
    db.transaction((tx) => msgs.map((msg) => recordDeliveriesIn(tx, msg))),
  );
  const saveTaskSeqs = createTickBatcher((batches: { task: DeliveryTask; seq: number }[][]) =>
    db.transaction((tx) =>
      batches.map((batch) => {
        for (const { task, seq } of batch) {
          tx.update(deliveries)
            .set({ taskSeq: seq })
            .where(and(eq(deliveries.id, task.deliveryId), eq(deliveries.attemptCount, 1)))
            .run();
        }
        return batch.length;
      }),
    ),
  );
  return createConsumerLoop({
    js: opts.js,
    stream: STREAMS.events,
    consumer: CONSUMERS.fanout,
    schema: DomainEventMessageSchema,
    // Enough events in hand for a batch to fill while the previous one's publishes are
    // acknowledged; each still waits for its own tasks' acks before it is acked.
    concurrency: opts.concurrency ?? 256,
    onError: (err, context) => opts.log.error({ err }, context),
    handle: async (event, msg) => {
      const tasks = await record(event);
      const acks = await Promise.all(tasks.map((task) => publishDeliveryTask(opts.js, task)));
      if (tasks.length > 0) {
        await saveTaskSeqs(tasks.map((task, i) => ({ task, seq: acks[i]!.seq })));
      }
      msg.ack();
    },
  });
}
