import { newId } from "@claimwire/contracts";
import {
  type AttemptReport,
  CONSUMERS,
  type DeliveryTask,
  publishAttemptReport,
  STREAMS,
  subjects,
} from "@claimwire/queue";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attempts, deliveries, events } from "../src/db/schema.ts";
import { recordDeliveries } from "../src/fanout/fan-out.ts";
import {
  claimInput,
  expectOutboxMatchesContract,
  startTestInsurer,
  type TestInsurer,
  waitFor,
} from "./harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer();
  h.insurer.recorder.start();
});
afterAll(async () => {
  expectOutboxMatchesContract(h);
  await h?.stop();
});

/** A pending delivery, made the way fan-out makes one. */
async function newDelivery(): Promise<DeliveryTask> {
  const clinic = await h.newClinic();
  await clinic.caller.endpoints.create({
    url: "https://clinic.example/hooks",
    eventTypes: ["claim.submitted"],
  });
  const claim = await clinic.caller.claims.submit(claimInput());
  const event = h.database.db.select().from(events).where(eq(events.claimId, claim.id)).get()!;
  const [task] = recordDeliveries(h.database.db, {
    eventId: event.id,
    clinicId: event.clinicId,
    claimId: event.claimId,
    committedAt: event.committedAt,
    event: event.payload,
  });
  return task!;
}

function report(task: DeliveryTask, overrides: Partial<AttemptReport>): AttemptReport {
  return {
    attemptId: newId("attempt"),
    deliveryId: task.deliveryId,
    endpointId: task.endpointId,
    eventId: task.eventId,
    attemptNumber: 1,
    startedAt: new Date().toISOString(),
    durationMs: 12.5,
    outcome: "failed",
    statusCode: 503,
    error: "HTTP 503",
    nextAttemptAt: new Date(Date.now() + 5_000).toISOString(),
    ...overrides,
  };
}

const deliveryRow = (id: string) =>
  h.database.db.select().from(deliveries).where(eq(deliveries.id, id)).get()!;
const attemptRows = (deliveryId: string) =>
  h.database.db.select().from(attempts).where(eq(attempts.deliveryId, deliveryId)).all();

async function recorderIdle() {
  await waitFor(async () => {
    const info = await h.queue.jsm.consumers.info(STREAMS.attempts, CONSUMERS.attemptRecorder);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

describe("attempt recorder", () => {
  it("records a failure, then a success, and ignores a repeated report", async () => {
    const task = await newDelivery();
    const failed = report(task, { attemptNumber: 1 });
    await publishAttemptReport(h.queue.js, failed);
    await waitFor(() => deliveryRow(task.deliveryId).attemptCount === 1);
    expect(deliveryRow(task.deliveryId)).toMatchObject({
      status: "pending",
      lastStatusCode: 503,
      lastError: "HTTP 503",
      nextAttemptAt: failed.nextAttemptAt,
      deliveredAt: null,
    });

    const delivered = report(task, {
      attemptNumber: 2,
      outcome: "delivered",
      statusCode: 204,
      error: null,
      nextAttemptAt: null,
    });
    await publishAttemptReport(h.queue.js, delivered);
    await waitFor(() => deliveryRow(task.deliveryId).status === "delivered");
    expect(deliveryRow(task.deliveryId)).toMatchObject({
      attemptCount: 2,
      lastStatusCode: 204,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(deliveryRow(task.deliveryId).deliveredAt).not.toBeNull();

    // The same report again (a worker retried its publish beyond the dedup window),
    // and a late report of the first attempt: neither changes anything.
    const before = {
      delivery: deliveryRow(task.deliveryId),
      attempts: attemptRows(task.deliveryId),
    };
    await h.queue.js.publish(subjects.attempt(task.endpointId), JSON.stringify(delivered), {
      msgID: `${delivered.attemptId}-again`,
    });
    await publishAttemptReport(h.queue.js, report(task, { attemptNumber: 1 }));
    await recorderIdle();
    expect(deliveryRow(task.deliveryId)).toEqual(before.delivery);
    expect(
      attemptRows(task.deliveryId)
        .map((a) => a.attemptNumber)
        .sort(),
    ).toEqual([1, 1, 2]);
    expect(attemptRows(task.deliveryId).filter((a) => a.id === delivered.attemptId)).toHaveLength(
      1,
    );
  });

  it("marks a delivery failed when no further attempt will follow", async () => {
    const task = await newDelivery();
    await publishAttemptReport(
      h.queue.js,
      report(task, {
        attemptNumber: 8,
        statusCode: null,
        error: "ECONNREFUSED",
        nextAttemptAt: null,
      }),
    );
    await waitFor(() => deliveryRow(task.deliveryId).status === "failed");
    expect(deliveryRow(task.deliveryId)).toMatchObject({
      attemptCount: 8,
      lastStatusCode: null,
      lastError: "ECONNREFUSED",
      nextAttemptAt: null,
    });
    expect(attemptRows(task.deliveryId)).toHaveLength(1);
  });
});
