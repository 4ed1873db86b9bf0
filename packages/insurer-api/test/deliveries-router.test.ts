import { recordAttempt } from "@claimwire/insurer-domain";
import { EndpointConfigSchema, STREAMS, subjects } from "@claimwire/queue";
import { waitFor } from "@claimwire/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  attemptReport,
  failUntilDeadLetter,
  lastDeliveryTask,
  submitAndDispatch,
  succeed,
} from "../src/testing/delivery-fixtures.ts";
import {
  checkOutboxAndStop,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  // Two attempts: at once, then 5 s later.
  h = await startTestInsurer({ env: { DELIVERY_RETRY_SCHEDULE: "0s,5s" } });
});
afterAll(() => checkOutboxAndStop(h));

async function clinicWithEndpoint() {
  const clinic = await h.newClinic();
  const endpoint = await clinic.caller.endpoints.create({
    url: "https://clinic.example/hooks",
    eventTypes: ["claim.submitted"],
  });
  return { ...clinic, endpoint };
}

const row = async (deliveryId: string) => {
  const { deliveries } = h.store.tables;
  const [found] = await h.store.db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
  return found!;
};

describe("deliveries.list", () => {
  it("lists an endpoint's deliveries newest first, by status, a page at a time", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    const tasks = [];
    for (let i = 0; i < 5; i++) tasks.push(...(await submitAndDispatch(h, caller)));
    await failUntilDeadLetter(h, tasks[0]!);
    await failUntilDeadLetter(h, tasks[3]!);
    await succeed(h, tasks[1]!);

    const all = await caller.deliveries.list({ endpointId: endpoint.id, limit: 100 });
    expect(all.items.map((d) => d.id)).toEqual(tasks.map((t) => t.deliveryId).reverse());
    expect(all.nextCursor).toBeNull();
    expect(all.items.at(-1)).toMatchObject({
      eventId: tasks[0]!.eventId,
      endpointId: endpoint.id,
      eventType: "claim.submitted",
      status: "failed",
      attemptCount: 2,
      lastStatusCode: 503,
      lastErrorClass: "http_status",
      lastError: "HTTP 503",
      nextAttemptAt: null,
      deliveredAt: null,
    });

    const dead = await caller.deliveries.list({
      endpointId: endpoint.id,
      status: "failed",
      limit: 10,
    });
    expect(dead.items.map((d) => d.id)).toEqual([tasks[3]!.deliveryId, tasks[0]!.deliveryId]);

    const page1 = await caller.deliveries.list({ endpointId: endpoint.id, limit: 2 });
    const page2 = await caller.deliveries.list({
      endpointId: endpoint.id,
      limit: 2,
      cursor: page1.nextCursor!,
    });
    const page3 = await caller.deliveries.list({
      endpointId: endpoint.id,
      limit: 2,
      cursor: page2.nextCursor!,
    });
    expect([...page1.items, ...page2.items, ...page3.items].map((d) => d.id)).toEqual(
      all.items.map((d) => d.id),
    );
    expect(page3.nextCursor).toBeNull();
    const bad = await expectTrpcError(
      caller.deliveries.list({ endpointId: endpoint.id, limit: 2, cursor: "nope" }),
      "BAD_REQUEST",
    );
    expect(bad.message).toBe("cursor: is not a cursor this API returned");

    // Staff see any clinic's.
    expect(
      (await h.staff.deliveries.list({ endpointId: endpoint.id, limit: 100 })).items,
    ).toHaveLength(5);
  });
});

describe("deliveries.attempts", () => {
  it("shows every attempt: status, duration, error class, response headers and body, next attempt", async () => {
    const { caller } = await clinicWithEndpoint();
    const [task] = await submitAndDispatch(h, caller);
    const first = attemptReport(task!, {
      statusCode: 429,
      retryAfterMs: 30_000,
      responseHeaders: { "retry-after": "30", "content-type": "application/json" },
      responseBody: '{"error":"slow down"}',
    });
    const now = new Date();
    await recordAttempt(h.store, first, h.insurer.services.delivery, now);
    await succeed(h, task!, 2);

    const attempts = await caller.deliveries.attempts({ deliveryId: task!.deliveryId });
    expect(attempts).toEqual([
      {
        id: first.attemptId,
        deliveryId: task!.deliveryId,
        attemptNumber: 1,
        trigger: "scheduled",
        startedAt: first.startedAt,
        durationMs: 8,
        outcome: "failed",
        statusCode: 429,
        errorClass: "http_status",
        error: "HTTP 503",
        retryAfterMs: 30_000,
        responseHeaders: { "retry-after": "30", "content-type": "application/json" },
        responseBody: '{"error":"slow down"}',
        nextAttemptAt: new Date(now.getTime() + 30_000).toISOString(),
      },
      expect.objectContaining({
        attemptNumber: 2,
        outcome: "delivered",
        statusCode: 200,
        errorClass: null,
        responseBody: "ok",
        nextAttemptAt: null,
      }),
    ]);
    expect(await h.staff.deliveries.attempts({ deliveryId: task!.deliveryId })).toEqual(attempts);
  });
});

describe("deliveries.resend", () => {
  it("re-sends a dead letter now, as a manual attempt with the same webhook-id and a fresh schedule", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    const [task] = await submitAndDispatch(h, caller);
    await failUntilDeadLetter(h, task!);
    expect((await row(task!.deliveryId)).status).toBe("failed");

    const resent = await caller.deliveries.resend({ deliveryId: task!.deliveryId });
    // Queued for the dispatcher, due now.
    expect(resent).toMatchObject({ status: "sending", attemptCount: 2 });
    expect(Date.parse(resent.nextAttemptAt!)).toBeLessThanOrEqual(Date.now());
    await h.insurer.dispatcher.dispatchDue();
    expect(await row(task!.deliveryId)).toMatchObject({ attemptCount: 3, nextAttemptAt: null });
    const queued = await lastDeliveryTask(h, endpoint.id);
    expect(queued).toEqual({ ...task, attemptNumber: 3, trigger: "manual" });

    // It failed again: a new run of the schedule begins (not an immediate dead letter).
    await recordAttempt(
      h.store,
      attemptReport(task!, { attemptNumber: 3, trigger: "manual" }),
      h.insurer.services.delivery,
    );
    expect(await row(task!.deliveryId)).toMatchObject({ status: "retrying", attemptCount: 3 });
  });

  it("re-sends a delivered message too, and it stays delivered whatever that attempt does", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    const [task] = await submitAndDispatch(h, caller);
    await succeed(h, task!);
    const resent = await h.staff.deliveries.resend({ deliveryId: task!.deliveryId });
    expect(resent).toMatchObject({ status: "delivered", attemptCount: 1 });
    await h.insurer.dispatcher.dispatchDue();
    expect(await row(task!.deliveryId)).toMatchObject({ status: "delivered", attemptCount: 2 });
    expect(await lastDeliveryTask(h, endpoint.id)).toMatchObject({
      eventId: task!.eventId,
      attemptNumber: 2,
      trigger: "manual",
    });
    await recordAttempt(
      h.store,
      attemptReport(task!, { attemptNumber: 2, trigger: "manual", statusCode: 500 }),
      h.insurer.services.delivery,
    );
    expect((await row(task!.deliveryId)).status).toBe("delivered");
  });

  it("refuses to send to a disabled endpoint (CONFLICT) until it is enabled", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    const [task] = await submitAndDispatch(h, caller);
    await failUntilDeadLetter(h, task!);
    await caller.endpoints.disable({ endpointId: endpoint.id });
    const err = await expectTrpcError(
      caller.deliveries.resend({ deliveryId: task!.deliveryId }),
      "CONFLICT",
    );
    expect(err.message).toBe(`Endpoint '${endpoint.id}' is disabled ('manual'); enable it first`);
    expect(await row(task!.deliveryId)).toMatchObject({ status: "failed", attemptCount: 2 });
    await caller.endpoints.enable({ endpointId: endpoint.id });
    expect((await caller.deliveries.resend({ deliveryId: task!.deliveryId })).status).toBe(
      "sending",
    );
  });
});

describe("endpoints.recover", () => {
  it("re-queues every failed delivery of the endpoint in the range; the dispatcher sends them as manual", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    const before = await submitAndDispatch(h, caller);
    await failUntilDeadLetter(h, before[0]!);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = new Date().toISOString();
    const inRange = [
      ...(await submitAndDispatch(h, caller)),
      ...(await submitAndDispatch(h, caller)),
    ];
    const delivered = await submitAndDispatch(h, caller);
    for (const task of inRange) await failUntilDeadLetter(h, task);
    await succeed(h, delivered[0]!);
    // The stand-in for a worker that took the attempts above: their tasks leave the stream.
    await h.queue.jsm.streams.purge(STREAMS.deliveries, { filter: subjects.delivery(endpoint.id) });

    const result = await caller.endpoints.recover({ endpointId: endpoint.id, since });
    expect(result).toEqual({ endpointId: endpoint.id, count: 2 });
    for (const task of inRange) {
      expect(await row(task.deliveryId)).toMatchObject({
        status: "retrying",
        nextTrigger: "manual",
      });
    }
    expect((await row(before[0]!.deliveryId)).status).toBe("failed");
    expect((await row(delivered[0]!.deliveryId)).status).toBe("delivered");

    // (Other tests' retries may fall due meanwhile; this endpoint's two are what count.)
    expect(await h.insurer.dispatcher.dispatchDue()).toBeGreaterThanOrEqual(2);
    const queued = await h.queue.jsm.streams.info(STREAMS.deliveries, {
      subjects_filter: subjects.delivery(endpoint.id),
    });
    expect(queued.state.subjects?.[subjects.delivery(endpoint.id)]).toBe(2);
    expect(await lastDeliveryTask(h, endpoint.id)).toMatchObject({
      deliveryId: inRange[1]!.deliveryId,
      eventId: inRange[1]!.eventId,
      attemptNumber: 3,
      trigger: "manual",
    });
    // Nothing left to recover in that range now.
    expect((await h.staff.endpoints.recover({ endpointId: endpoint.id, since })).count).toBe(0);
  });

  it("takes an explicit range, refuses a reversed one, and refuses a disabled endpoint", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    const [task] = await submitAndDispatch(h, caller);
    await failUntilDeadLetter(h, task!);
    const createdAt = (await row(task!.deliveryId)).createdAt;
    const until = new Date(Date.parse(createdAt) + 1).toISOString();
    expect(
      (
        await caller.endpoints.recover({
          endpointId: endpoint.id,
          since: until,
          until: new Date().toISOString(),
        })
      ).count,
    ).toBe(0);
    const reversed = await expectTrpcError(
      caller.endpoints.recover({ endpointId: endpoint.id, since: until, until: createdAt }),
      "BAD_REQUEST",
    );
    expect(reversed.message).toBe("until: since must be before until");
    await caller.endpoints.disable({ endpointId: endpoint.id });
    await expectTrpcError(
      caller.endpoints.recover({ endpointId: endpoint.id, since: createdAt }),
      "CONFLICT",
    );
    await caller.endpoints.enable({ endpointId: endpoint.id });
    expect(
      (await caller.endpoints.recover({ endpointId: endpoint.id, since: createdAt, until })).count,
    ).toBe(1);
  });
});

describe("endpoints.disable / enable", () => {
  it("disables explicitly: waiting retries fail, KV says disabled, the clinic's feed gets endpoint.disabled", async () => {
    const { caller, endpoint, clinicId } = await clinicWithEndpoint();
    const [waiting] = await submitAndDispatch(h, caller);
    await recordAttempt(h.store, attemptReport(waiting!), h.insurer.services.delivery);
    expect((await row(waiting!.deliveryId)).status).toBe("retrying");

    const disabled = await caller.endpoints.disable({ endpointId: endpoint.id });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: "manual" });
    expect(disabled.disabledAt).not.toBeNull();
    expect(await row(waiting!.deliveryId)).toMatchObject({ status: "failed", nextAttemptAt: null });
    await waitFor("the endpoint disabled in KV", async () => {
      const entry = await h.queue.endpoints.get(endpoint.id);
      return entry && EndpointConfigSchema.parse(entry.json()).enabled === false;
    });
    const { events } = h.store.tables;
    const emitted = (
      await h.store.db.select().from(events).where(eq(events.type, "endpoint.disabled"))
    ).filter((e) => e.clinicId === clinicId);
    expect(emitted.map((e) => e.payload.data)).toEqual([
      {
        endpointId: endpoint.id,
        clinicId,
        url: endpoint.url,
        reason: "manual",
        failingSince: expect.any(String),
        disabledAt: disabled.disabledAt,
      },
    ]);
    // Disabling again changes nothing and emits nothing.
    expect(await caller.endpoints.disable({ endpointId: endpoint.id })).toEqual(disabled);

    const enabled = await h.staff.endpoints.enable({ endpointId: endpoint.id });
    expect(enabled).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
    await waitFor("the endpoint enabled again in KV", async () => {
      const entry = await h.queue.endpoints.get(endpoint.id);
      return entry && EndpointConfigSchema.parse(entry.json()).enabled === true;
    });
    // What failed while it was disabled is recoverable now.
    const since = (await row(waiting!.deliveryId)).createdAt;
    expect((await caller.endpoints.recover({ endpointId: endpoint.id, since })).count).toBe(1);
  });
});
