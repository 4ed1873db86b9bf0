import { newId } from "@claimwire/ids";
import { deliveryTask, recordAttempt } from "@claimwire/insurer-domain";
import {
  type AttemptReport,
  type DeliveryTask,
  DeliveryTaskSchema,
  STREAMS,
  subjects,
} from "@claimwire/queue";
import { and, eq } from "drizzle-orm";
import { type Caller, claimInput, type TestInsurer } from "./harness.ts";

/**
 * Submits a claim and lets the dispatcher (driven by hand) publish what is due: returns
 * attempt 1 of each of the claim event's deliveries ("sending", in flight).
 */
export async function submitAndDispatch(h: TestInsurer, caller: Caller): Promise<DeliveryTask[]> {
  const claim = await caller.claims.submit(claimInput());
  await h.insurer.dispatcher.dispatchDue();
  const { db, tables } = h.store;
  const { deliveries, events } = tables;
  const [event] = await db.select().from(events).where(eq(events.claimId, claim.id));
  if (!event) throw new Error(`no event for claim ${claim.id}`);
  const dispatched = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.eventId, event.id), eq(deliveries.attemptCount, 1)));
  return dispatched.map((delivery) =>
    deliveryTask({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attemptNumber: 1,
      trigger: "scheduled",
      event,
    }),
  );
}

/** A worker's report of one attempt of `task` (a 503 unless overridden). */
export function attemptReport(
  task: Pick<DeliveryTask, "deliveryId" | "endpointId" | "eventId">,
  overrides: Partial<AttemptReport> = {},
): AttemptReport {
  return {
    attemptId: newId("attempt"),
    deliveryId: task.deliveryId,
    endpointId: task.endpointId,
    eventId: task.eventId,
    attemptNumber: 1,
    trigger: "scheduled",
    startedAt: new Date().toISOString(),
    durationMs: 8,
    outcome: "failed",
    statusCode: 503,
    errorClass: "http_status",
    error: "HTTP 503",
    retryAfterMs: null,
    responseHeaders: { "content-type": "text/plain" },
    responseBody: "unavailable",
    ...overrides,
  };
}

/** Records failed attempts until the schedule is used up: the delivery is dead-lettered. */
export async function failUntilDeadLetter(h: TestInsurer, task: DeliveryTask): Promise<void> {
  const { deliveries } = h.store.tables;
  for (let attemptNumber = 1; ; attemptNumber++) {
    await recordAttempt(
      h.store,
      attemptReport(task, { attemptNumber }),
      h.insurer.services.delivery,
    );
    const [row] = await h.store.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.id, task.deliveryId));
    if (row?.status === "failed") return;
  }
}

/** Records a 2xx for attempt `attemptNumber`. */
export async function succeed(
  h: TestInsurer,
  task: DeliveryTask,
  attemptNumber = 1,
): Promise<void> {
  await recordAttempt(
    h.store,
    attemptReport(task, {
      attemptNumber,
      outcome: "delivered",
      statusCode: 200,
      errorClass: null,
      error: null,
      responseBody: "ok",
    }),
    h.insurer.services.delivery,
  );
}

/** The deliveries fan-out recorded for an event. */
export function deliveriesOfEvent(h: TestInsurer, eventId: string) {
  const { deliveries } = h.store.tables;
  return h.store.db.select().from(deliveries).where(eq(deliveries.eventId, eventId));
}

/** The latest delivery task JetStream holds for an endpoint, or null. */
export async function lastDeliveryTask(
  h: TestInsurer,
  endpointId: string,
): Promise<DeliveryTask | null> {
  const msg = await h.queue.jsm.streams
    .getMessage(STREAMS.deliveries, { last_by_subj: subjects.delivery(endpointId) })
    .catch(() => null);
  return msg ? DeliveryTaskSchema.parse(msg.json()) : null;
}
