import { type WebhookEvent, WebhookEventSchema } from "@claimwire/contracts";
import { recordAttempt } from "@claimwire/insurer-domain";
import { type AttemptReport, type DeliveryTask, publishAttemptReport } from "@claimwire/queue";
import { waitFor } from "@claimwire/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attemptReport,
  deliveriesOfEvent,
  lastDeliveryTask,
  submitAndDispatch,
} from "../src/testing/delivery-fixtures.ts";
import {
  type Caller,
  checkOutboxAndStop,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

// delivery.failing, delivery.exhausted and endpoint.recovered, raised by the attempt
// recorder (docs/delivery.md, "Operational events"). The recorder is driven by hand
// (recordAttempt), as attempt-recorder.test.ts does, except in the last test.

let h: TestInsurer;

beforeAll(async () => {
  // Four attempts (immediately, 5 s, 5 min, 30 min); DELIVERY_FAILING_AFTER_ATTEMPTS left
  // at its default, 3; no endpoint is disabled for failing in these tests.
  h = await startTestInsurer({
    env: { DELIVERY_RETRY_SCHEDULE: "0s,5s,5m,30m" },
    retryRandom: () => 0.5,
  });
});
afterAll(() => checkOutboxAndStop(h));

type OperationalType = "delivery.failing" | "delivery.exhausted" | "endpoint.recovered";

/**
 * A clinic with an endpoint whose claim deliveries will fail (it subscribes to the
 * operational events too, and must never get one about itself), an operations endpoint,
 * and a claims-only endpoint; and another clinic subscribed to everything.
 */
async function setUp() {
  const clinic = await h.newClinic("Operations Clinic");
  const url = "https://clinic.example/hooks";
  const failing = await clinic.caller.endpoints.create({
    url,
    eventTypes: ["claim.submitted", "delivery.*", "endpoint.*"],
  });
  const ops = await clinic.caller.endpoints.create({
    url: "https://clinic.example/ops",
    eventTypes: ["delivery.failing", "delivery.exhausted", "endpoint.recovered"],
  });
  const claimsOnly = await clinic.caller.endpoints.create({ url, eventTypes: ["claim.paid"] });
  const other = await h.newClinic("Bystander Clinic");
  const otherClinic = await other.caller.endpoints.create({ url, eventTypes: ["*"] });
  const [task] = await submitAndDispatch(h, clinic.caller);
  if (!task || task.endpointId !== failing.id) throw new Error("expected one delivery task");
  return { clinic, failing, ops, claimsOnly, otherClinic, task };
}

const record = (report: AttemptReport) =>
  recordAttempt(h.store, report, h.insurer.services.delivery);

const delivered = (task: DeliveryTask, attemptNumber = 1) =>
  attemptReport(task, {
    attemptNumber,
    outcome: "delivered",
    statusCode: 204,
    errorClass: null,
    error: null,
    responseBody: null,
  });

/** The operational events of `type` a clinic's event log holds, with their row ids. */
async function raised<T extends OperationalType>(clinicId: string, type: T) {
  const { events } = h.store.tables;
  const rows = await h.store.db
    .select()
    .from(events)
    .where(and(eq(events.clinicId, clinicId), eq(events.type, type)))
    .orderBy(events.seq);
  return rows.map((row) => ({
    id: row.id,
    event: WebhookEventSchema.parse(row.payload) as Extract<WebhookEvent, { type: T }>,
  }));
}

/** Which endpoints an event was fanned out to. */
async function receivers(eventId: string): Promise<string[]> {
  return (await deliveriesOfEvent(h, eventId)).map((d) => d.endpointId);
}

/** Another claim's delivery to the same endpoint, dispatched as attempt 1. */
async function anotherDelivery(caller: Caller): Promise<DeliveryTask> {
  const [task] = await submitAndDispatch(h, caller);
  return task!;
}

describe("delivery.failing", () => {
  it("is raised once, when a delivery's failed attempts reach the threshold (3 by default), for the clinic's other endpoints only", async () => {
    const { clinic, failing, ops, task } = await setUp();
    const first = attemptReport(task, { attemptNumber: 1 });
    expect((await record(first)).appendedEvent).toBe(false);
    expect((await record(attemptReport(task, { attemptNumber: 2 }))).appendedEvent).toBe(false);
    expect(await raised(clinic.clinicId, "delivery.failing")).toEqual([]);

    const third = attemptReport(task, {
      attemptNumber: 3,
      statusCode: null,
      errorClass: "timeout",
      error: "timed out after 15000 ms",
    });
    expect(await record(third)).toEqual({ result: "recorded", appendedEvent: true });
    const [notice, ...more] = await raised(clinic.clinicId, "delivery.failing");
    expect(more).toEqual([]);
    expect(notice?.event.data).toEqual({
      endpointId: failing.id,
      clinicId: clinic.clinicId,
      deliveryId: task.deliveryId,
      eventId: task.eventId,
      eventType: "claim.submitted",
      failedAttempts: 3,
      lastStatusCode: null,
      lastErrorClass: "timeout",
      firstFailedAt: first.startedAt,
      lastFailedAt: third.startedAt,
    });
    // Not to the failing endpoint, although it subscribes to delivery.*; not to the
    // claims-only endpoint, nor to another clinic.
    expect(await receivers(notice!.id)).toEqual([ops.id]);

    // The same report again, and the last attempt's failure: no second delivery.failing.
    expect((await record({ ...third })).result).toBe("duplicate");
    await record(attemptReport(task, { attemptNumber: 4 }));
    expect(await raised(clinic.clinicId, "delivery.failing")).toHaveLength(1);
  });

  it("is not raised for a delivery that succeeds before the threshold", async () => {
    const { clinic, task } = await setUp();
    await record(attemptReport(task, { attemptNumber: 1 }));
    await record(attemptReport(task, { attemptNumber: 2 }));
    await record(delivered(task, 3));
    // A failing resend of the delivered delivery does not count either.
    await record(attemptReport(task, { attemptNumber: 4, trigger: "manual" }));
    expect(await raised(clinic.clinicId, "delivery.failing")).toEqual([]);
  });
});

describe("delivery.exhausted", () => {
  it("is raised when the retry schedule dead-letters a delivery, with its attempts and last error", async () => {
    const { clinic, failing, ops, task } = await setUp();
    for (const attemptNumber of [1, 2, 3]) await record(attemptReport(task, { attemptNumber }));
    expect(await raised(clinic.clinicId, "delivery.exhausted")).toEqual([]);
    const last = attemptReport(task, { attemptNumber: 4, statusCode: 500, error: "HTTP 500" });
    expect(await record(last)).toEqual({ result: "recorded", appendedEvent: true });

    const [notice, ...more] = await raised(clinic.clinicId, "delivery.exhausted");
    expect(more).toEqual([]);
    expect(notice?.event).toMatchObject({
      type: "delivery.exhausted",
      data: {
        endpointId: failing.id,
        deliveryId: task.deliveryId,
        eventId: task.eventId,
        eventType: "claim.submitted",
        failedAttempts: 4,
        lastStatusCode: 500,
        lastErrorClass: "http_status",
        lastFailedAt: last.startedAt,
        exhaustedAt: notice?.event.timestamp,
      },
    });
    expect(await receivers(notice!.id)).toEqual([ops.id]);
    // No secret, URL, error text or response body travels in it.
    const body = JSON.stringify(notice?.event);
    for (const hidden of ["https://", "whsec_", "HTTP 500", "unavailable"]) {
      expect(body).not.toContain(hidden);
    }
  });

  it("is not raised when the delivery fails because its endpoint was disabled (endpoint.disabled says so)", async () => {
    const { clinic, task } = await setUp();
    const waiting = await anotherDelivery(clinic.caller);
    await record(attemptReport(waiting)); // retrying: failed by the disable
    const gone = await record(attemptReport(task, { statusCode: 410, error: "HTTP 410" }));
    expect(gone.disabled).toBe("gone");
    const { deliveries } = h.store.tables;
    const rows = await h.store.db.select().from(deliveries);
    const statusOf = (id: string) => rows.find((d) => d.id === id)?.status;
    expect([statusOf(task.deliveryId), statusOf(waiting.deliveryId)]).toEqual(["failed", "failed"]);
    expect(await raised(clinic.clinicId, "delivery.exhausted")).toEqual([]);
  });
});

describe("endpoint.recovered", () => {
  it("is raised by the 2xx that ends a failing run of 3 failed attempts (the threshold), once, for the clinic's other endpoints", async () => {
    const { clinic, failing, ops, task } = await setUp();
    const first = attemptReport(task, { attemptNumber: 1 });
    await record(first);
    await record(attemptReport(task, { attemptNumber: 2 }));
    const next = await anotherDelivery(clinic.caller);
    await record(attemptReport(next));

    const success = delivered(task, 3);
    expect((await record(success)).appendedEvent).toBe(true);
    const [notice, ...more] = await raised(clinic.clinicId, "endpoint.recovered");
    expect(more).toEqual([]);
    expect(notice?.event.data).toEqual({
      endpointId: failing.id,
      clinicId: clinic.clinicId,
      failingSince: first.startedAt,
      failedAttempts: 3,
      deliveryId: task.deliveryId,
      recoveredAt: notice?.event.timestamp,
    });
    expect(await receivers(notice!.id)).toEqual([ops.id]);

    // Later successes raise nothing: the run is over.
    expect((await record(delivered(next, 2))).appendedEvent).toBe(false);
    expect(await raised(clinic.clinicId, "endpoint.recovered")).toHaveLength(1);
  });

  it("is not raised after a run shorter than the threshold: an occasional failure is not news", async () => {
    const { clinic, task } = await setUp();
    await record(attemptReport(task, { attemptNumber: 1 }));
    await record(attemptReport(task, { attemptNumber: 2 }));
    // Two failed attempts, then a 2xx: the run ends (failing_since cleared) without a notice.
    expect((await record(delivered(task, 3))).appendedEvent).toBe(false);
    expect(await raised(clinic.clinicId, "endpoint.recovered")).toEqual([]);
  });

  it("is not raised after an endpoint was re-enabled: enabling starts a fresh health record", async () => {
    const { clinic, failing, task } = await setUp();
    // A run long enough (3 failed attempts) that, were it kept, the next 2xx would end it.
    await record(attemptReport(task, { attemptNumber: 1 }));
    await record(attemptReport(task, { attemptNumber: 2 }));
    const gone = await record(
      attemptReport(task, { attemptNumber: 3, statusCode: 410, error: "HTTP 410" }),
    );
    expect(gone.disabled).toBe("gone");
    await clinic.caller.endpoints.enable({ endpointId: failing.id });
    const next = await anotherDelivery(clinic.caller);
    expect((await record(delivered(next))).appendedEvent).toBe(false);
    expect(await raised(clinic.clinicId, "endpoint.recovered")).toEqual([]);
  });
});

describe("no cascade", () => {
  it("raises no operational event for failures of an operational event's delivery; they still count for the endpoint's health", async () => {
    const { clinic, failing, ops, task } = await setUp();
    // The failing endpoint's claim delivery reaches the threshold: delivery.failing goes to ops.
    for (const attemptNumber of [1, 2, 3]) await record(attemptReport(task, { attemptNumber }));
    const [notice] = await raised(clinic.clinicId, "delivery.failing");
    await h.insurer.dispatcher.dispatchDue();
    const toOps = await lastDeliveryTask(h, ops.id);
    expect(toOps).toMatchObject({ eventId: notice?.id, eventType: "delivery.failing" });

    // Now ops fails that delivery until it is dead-lettered: no delivery.* about it.
    for (const attemptNumber of [1, 2, 3, 4]) {
      await record(attemptReport(toOps!, { attemptNumber }));
    }
    const { deliveries, endpoints } = h.store.tables;
    const [dead] = await h.store.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.id, toOps!.deliveryId));
    expect(dead?.status).toBe("failed");
    const aboutOps = async () =>
      (
        await Promise.all(
          (["delivery.failing", "delivery.exhausted", "endpoint.recovered"] as const).map((type) =>
            raised(clinic.clinicId, type),
          ),
        )
      )
        .flat()
        .filter(({ event }) => event.data.endpointId === ops.id);
    expect(await aboutOps()).toEqual([]);
    // Its failing run is open all the same (it counts towards disabling ops).
    const opsRow = async () =>
      (await h.store.db.select().from(endpoints).where(eq(endpoints.id, ops.id)))[0];
    expect((await opsRow())?.failingSince).not.toBeNull();

    // The failing endpoint recovers: endpoint.recovered goes to ops, which takes it. That
    // ends ops' run, made only of operational deliveries' failures: nothing is raised.
    await record(delivered(task, 4));
    const [recovered] = await raised(clinic.clinicId, "endpoint.recovered");
    expect(recovered?.event.data.endpointId).toBe(failing.id);
    await h.insurer.dispatcher.dispatchDue();
    const recoveredToOps = await lastDeliveryTask(h, ops.id);
    expect(recoveredToOps?.eventId).toBe(recovered?.id);
    expect((await record(delivered(recoveredToOps!))).appendedEvent).toBe(false);
    expect((await opsRow())?.failingSince).toBeNull();
    expect(await aboutOps()).toEqual([]);
    // The failing endpoint never got a word about itself.
    const toFailing = await deliveriesOfEvent(h, recovered!.id);
    expect(toFailing.map((d) => d.endpointId)).not.toContain(failing.id);
  });
});

describe("through the attempt recorder consuming ATTEMPTS", () => {
  it("wakes the dispatcher: delivery.failing reaches the ops endpoint's delivery queue", async () => {
    const { clinic, ops, task } = await setUp();
    h.insurer.recorder.start();
    h.insurer.dispatcher.start();
    try {
      for (const attemptNumber of [1, 2, 3]) {
        await publishAttemptReport(h.queue.js, attemptReport(task, { attemptNumber }));
      }
      const queued = await waitFor("delivery.failing on the ops endpoint's queue", async () => {
        const last = await lastDeliveryTask(h, ops.id);
        return last?.eventType === "delivery.failing" ? last : null;
      });
      const [notice] = await raised(clinic.clinicId, "delivery.failing");
      expect(queued.eventId).toBe(notice?.id);
      expect(JSON.parse(queued.body)).toEqual(notice?.event);
    } finally {
      await h.insurer.dispatcher.stop();
      await h.insurer.recorder.stop();
    }
  });
});
