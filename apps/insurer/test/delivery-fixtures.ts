import { newId } from "@claimwire/contracts";
import type { AttemptReport, DeliveryTask } from "@claimwire/queue";
import { eq } from "drizzle-orm";
import { deliveries, events } from "../src/db/schema.ts";
import { recordAttempt } from "../src/delivery/attempt-recorder.ts";
import { recordDeliveries } from "../src/fanout/fan-out.ts";
import { type Caller, claimInput, type TestInsurer } from "./harness.ts";

/**
 * Submits a claim and fans its event out the way fan-out does (without NATS): returns
 * attempt 1 of each delivery ("sending").
 */
export async function submitAndFanOut(h: TestInsurer, caller: Caller): Promise<DeliveryTask[]> {
  const claim = await caller.claims.submit(claimInput());
  const event = h.database.db.select().from(events).where(eq(events.claimId, claim.id)).get()!;
  return recordDeliveries(h.database.db, {
    eventId: event.id,
    clinicId: event.clinicId,
    claimId: event.claimId,
    committedAt: event.committedAt,
    event: event.payload,
  });
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
export function failUntilDeadLetter(h: TestInsurer, task: DeliveryTask): void {
  for (let attemptNumber = 1; ; attemptNumber++) {
    recordAttempt(
      h.database.db,
      attemptReport(task, { attemptNumber }),
      h.insurer.services.delivery,
    );
    const row = h.database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.id, task.deliveryId))
      .get();
    if (row?.status === "failed") return;
  }
}

/** Records a 2xx for attempt `attemptNumber`. */
export function succeed(h: TestInsurer, task: DeliveryTask, attemptNumber = 1): void {
  recordAttempt(
    h.database.db,
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
