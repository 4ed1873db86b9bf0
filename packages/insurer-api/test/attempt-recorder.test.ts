import { WebhookEventSchema } from "@claimwire/contracts";
import type { Store } from "@claimwire/insurer-db";
import { createTurnRecorder, recordAttempt } from "@claimwire/insurer-domain";
import {
  type AttemptReport,
  CONSUMERS,
  type DeliveryTask,
  EndpointConfigSchema,
  publishAttemptReport,
  STREAMS,
} from "@claimwire/queue";
import { waitFor } from "@claimwire/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptReport, submitAndDispatch } from "../src/testing/delivery-fixtures.ts";
import {
  type Caller,
  checkOutboxAndStop,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

const S = 1_000;
const M = 60 * S;
const H = 60 * M;

let h: TestInsurer;

beforeAll(async () => {
  // Four attempts: immediately, then 5 s, 5 min, 30 min; jitter 0.5 → delays exact.
  h = await startTestInsurer({
    env: { DELIVERY_RETRY_SCHEDULE: "0s,5s,5m,30m", ENDPOINT_DISABLE_AFTER_MS: String(M) },
    retryRandom: () => 0.5,
  });
});
afterAll(() => checkOutboxAndStop(h));

/** A clinic with one endpoint and a first delivery to it, dispatched as attempt 1. */
async function newDelivery(clinic?: Caller) {
  const caller = clinic ?? (await h.newClinic()).caller;
  const endpoint = await caller.endpoints.create({
    url: "https://clinic.example/hooks",
    eventTypes: ["claim.submitted"],
  });
  const task = await anotherDelivery(caller);
  return { caller, endpoint, task };
}

async function anotherDelivery(caller: Caller): Promise<DeliveryTask> {
  const [task] = await submitAndDispatch(h, caller);
  return task!;
}

const delivered = (overrides: Partial<AttemptReport> = {}): Partial<AttemptReport> => ({
  outcome: "delivered",
  statusCode: 204,
  errorClass: null,
  error: null,
  responseBody: null,
  ...overrides,
});

const record = (r: AttemptReport, now = new Date()) =>
  recordAttempt(h.store, r, h.insurer.services.delivery, now);
const deliveryRow = async (id: string) => {
  const { deliveries } = h.store.tables;
  const [row] = await h.store.db.select().from(deliveries).where(eq(deliveries.id, id));
  return row!;
};
const endpointRow = async (id: string) => {
  const { endpoints } = h.store.tables;
  const [row] = await h.store.db.select().from(endpoints).where(eq(endpoints.id, id));
  return row!;
};
const attemptRows = async (deliveryId: string) => {
  const { attempts } = h.store.tables;
  return await h.store.db.select().from(attempts).where(eq(attempts.deliveryId, deliveryId));
};
const disabledEvents = async (endpointId: string) => {
  const { events } = h.store.tables;
  const rows = await h.store.db.select().from(events).where(eq(events.type, "endpoint.disabled"));
  return rows
    .map((row) => WebhookEventSchema.parse(row.payload))
    .filter((e) => e.type === "endpoint.disabled" && e.data.endpointId === endpointId);
};

describe("recordAttempt: retries", () => {
  it("records every field of a failed attempt and schedules the next one on the schedule", async () => {
    const { task, endpoint } = await newDelivery();
    const now = new Date("2026-12-01T10:00:00.000Z");
    const failed = attemptReport(task, {
      responseHeaders: { "content-type": "text/plain", "x-request-id": "r-1" },
      responseBody: "x".repeat(20 * 1024),
    });
    expect(await record(failed, now)).toEqual({ result: "recorded", appendedEvent: false });

    const nextAttemptAt = "2026-12-01T10:00:05.000Z";
    expect(await attemptRows(task.deliveryId)).toEqual([
      {
        id: failed.attemptId,
        deliveryId: task.deliveryId,
        attemptNumber: 1,
        trigger: "scheduled",
        startedAt: failed.startedAt,
        durationMs: failed.durationMs,
        outcome: "failed",
        statusCode: 503,
        errorClass: "http_status",
        error: "HTTP 503",
        retryAfterMs: null,
        responseHeaders: { "content-type": "text/plain", "x-request-id": "r-1" },
        responseBody: "x".repeat(20 * 1024),
        nextAttemptAt,
      },
    ]);
    expect(await deliveryRow(task.deliveryId)).toMatchObject({
      status: "retrying",
      attemptCount: 1,
      lastStatusCode: 503,
      lastErrorClass: "http_status",
      lastError: "HTTP 503",
      nextAttemptAt,
      deliveredAt: null,
    });
    // The endpoint's failing run began with this attempt.
    expect((await endpointRow(endpoint.id)).failingSince).toBe(failed.startedAt);
  });

  it("follows Retry-After instead of the schedule, clamped to [1 s, max(schedule, 1 h)]", async () => {
    const { task, caller } = await newDelivery();
    const now = new Date("2026-12-01T10:00:00.000Z");
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    await record(attemptReport(task, { statusCode: 429, retryAfterMs: 90 * S }), now);
    expect((await deliveryRow(task.deliveryId)).nextAttemptAt).toBe(at(90 * S));

    const second = await anotherDelivery(caller);
    await record(attemptReport(second, { statusCode: 503, retryAfterMs: 7 * 24 * H }), now);
    expect((await deliveryRow(second.deliveryId)).nextAttemptAt).toBe(at(H));

    const third = await anotherDelivery(caller);
    await record(attemptReport(third, { statusCode: 429, retryAfterMs: 0 }), now);
    expect((await deliveryRow(third.deliveryId)).nextAttemptAt).toBe(at(S));
    // The attempt keeps what the endpoint asked for.
    expect((await attemptRows(third.deliveryId))[0]?.retryAfterMs).toBe(0);
  });

  it("dead-letters after the last scheduled attempt: failed, visible, no next attempt", async () => {
    const { task } = await newDelivery();
    for (const attemptNumber of [1, 2, 3]) {
      await record(attemptReport(task, { attemptNumber }));
      expect((await deliveryRow(task.deliveryId)).status).toBe("retrying");
    }
    await record(
      attemptReport(task, {
        attemptNumber: 4,
        statusCode: null,
        errorClass: "timeout",
        error: "timed out after 15000 ms",
      }),
    );
    expect(await deliveryRow(task.deliveryId)).toMatchObject({
      status: "failed",
      attemptCount: 4,
      lastStatusCode: null,
      lastErrorClass: "timeout",
      nextAttemptAt: null,
    });
    expect((await attemptRows(task.deliveryId)).map((a) => a.nextAttemptAt === null)).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });
});

describe("recordAttempt: delivered", () => {
  it("marks delivered, clears the endpoint's failing run, and never undoes it", async () => {
    const { task, endpoint } = await newDelivery();
    await record(attemptReport(task, { attemptNumber: 1 }));
    expect((await endpointRow(endpoint.id)).failingSince).not.toBeNull();

    const success = attemptReport(task, delivered({ attemptNumber: 2, durationMs: 40 }));
    const result = await record(success);
    expect(result.result).toBe("recorded");
    expect(result.deliveredLatencyMs).toBeGreaterThanOrEqual(0);
    expect(await deliveryRow(task.deliveryId)).toMatchObject({
      status: "delivered",
      attemptCount: 2,
      lastStatusCode: 204,
      lastErrorClass: null,
      nextAttemptAt: null,
      deliveredAt: new Date(Date.parse(success.startedAt) + 40).toISOString(),
    });
    expect((await endpointRow(endpoint.id)).failingSince).toBeNull();
    const after = await deliveryRow(task.deliveryId);

    // A failing manual resend (attempt 3), and a late report of attempt 1: recorded only.
    await record(attemptReport(task, { attemptNumber: 3, trigger: "manual" }));
    await record(attemptReport(task, { attemptNumber: 1, statusCode: 500 }));
    expect(await deliveryRow(task.deliveryId)).toEqual({ ...after, attemptCount: 3 });
    expect(await attemptRows(task.deliveryId)).toHaveLength(4);
  });

  it("ignores a repeated report (same attemptId) and one for a deleted endpoint", async () => {
    const { task, caller, endpoint } = await newDelivery();
    const failed = attemptReport(task);
    await record(failed);
    const before = {
      delivery: await deliveryRow(task.deliveryId),
      attempts: await attemptRows(task.deliveryId),
    };
    expect((await record({ ...failed, outcome: "delivered" })).result).toBe("duplicate");
    expect(await deliveryRow(task.deliveryId)).toEqual(before.delivery);
    expect(await attemptRows(task.deliveryId)).toEqual(before.attempts);

    await caller.endpoints.delete({ endpointId: endpoint.id });
    expect((await record(attemptReport(task, { attemptNumber: 2 }))).result).toBe(
      "unknown-delivery",
    );
  });

  it("only records an older attempt's failure once a newer attempt is out", async () => {
    const { task } = await newDelivery();
    await record(attemptReport(task, { attemptNumber: 1 }));
    const { deliveries } = h.store.tables;
    await h.store.transaction(async (tx) => {
      await tx
        .update(deliveries)
        .set({ status: "sending", attemptCount: 2, nextAttemptAt: null })
        .where(eq(deliveries.id, task.deliveryId));
    });
    await record(attemptReport(task, { attemptNumber: 1, statusCode: 500 }));
    expect(await deliveryRow(task.deliveryId)).toMatchObject({
      status: "sending",
      attemptCount: 2,
    });
  });
});

describe("recordAttempt: endpoint health", () => {
  it("disables on 410 Gone at once, fails its waiting retries and emits endpoint.disabled", async () => {
    const { task, caller, endpoint } = await newDelivery();
    const waiting = await anotherDelivery(caller);
    await record(attemptReport(waiting)); // retrying
    expect((await deliveryRow(waiting.deliveryId)).status).toBe("retrying");
    const inFlight = await anotherDelivery(caller);
    expect((await deliveryRow(inFlight.deliveryId)).status).toBe("sending");

    const result = await record(attemptReport(task, { statusCode: 410, error: "HTTP 410" }));
    expect(result).toEqual({
      result: "recorded",
      appendedEvent: true,
      disabled: "gone",
      syncEndpointId: endpoint.id,
    });
    expect(await endpointRow(endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: "gone",
    });
    expect(await deliveryRow(task.deliveryId)).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
    });
    expect(await deliveryRow(waiting.deliveryId)).toMatchObject({
      status: "failed",
      nextAttemptAt: null,
    });
    const [event] = await disabledEvents(endpoint.id);
    expect(event?.data).toMatchObject({
      endpointId: endpoint.id,
      url: endpoint.url,
      reason: "gone",
      disabledAt: (await endpointRow(endpoint.id)).disabledAt,
    });

    // The report of an attempt that was in flight fails its delivery without a retry.
    expect((await deliveryRow(inFlight.deliveryId)).status).toBe("sending");
    await record(attemptReport(inFlight, { errorClass: "endpoint_disabled", statusCode: null }));
    expect((await deliveryRow(inFlight.deliveryId)).status).toBe("failed");
    expect(await disabledEvents(endpoint.id)).toHaveLength(1);
  });

  it("disables after ENDPOINT_DISABLE_AFTER_MS of continuous failure; a success restarts the clock", async () => {
    const { task, caller, endpoint } = await newDelivery();
    const t0 = Date.parse("2026-12-01T10:00:00.000Z");
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    await record(attemptReport(task, { startedAt: at(0) }));
    await record(attemptReport(task, { attemptNumber: 2, startedAt: at(40 * S) }));
    expect(await endpointRow(endpoint.id)).toMatchObject({ enabled: true, failingSince: at(0) });

    const other = await anotherDelivery(caller);
    await record(attemptReport(other, delivered({ startedAt: at(50 * S) })));
    expect((await endpointRow(endpoint.id)).failingSince).toBeNull();

    await record(attemptReport(task, { attemptNumber: 3, startedAt: at(70 * S) }));
    expect(await endpointRow(endpoint.id)).toMatchObject({
      enabled: true,
      failingSince: at(70 * S),
    });
    const result = await record(
      attemptReport(task, { attemptNumber: 4, startedAt: at(70 * S + M) }),
    );
    expect(result.disabled).toBe("failing");
    expect(await endpointRow(endpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: "failing",
    });
    expect((await disabledEvents(endpoint.id))[0]?.data).toMatchObject({
      reason: "failing",
      failingSince: at(70 * S),
    });
  });

  it("does not count our own config problems against the endpoint, and re-syncs its config", async () => {
    const { task, endpoint } = await newDelivery();
    const result = await record(
      attemptReport(task, {
        statusCode: null,
        errorClass: "endpoint_config_invalid",
        error: "bad",
      }),
    );
    expect(result.syncEndpointId).toBe(endpoint.id);
    expect((await endpointRow(endpoint.id)).failingSince).toBeNull();
    expect((await deliveryRow(task.deliveryId)).status).toBe("retrying");
  });
});

describe("group commit: the reports of one event-loop turn (the consumer's createTurnRecorder)", () => {
  /** The test store, counting the transactions begun through it. */
  function countingTransactions() {
    const { store } = h;
    let count = 0;
    const counted: Store = {
      ...store,
      transaction(fn) {
        count++;
        return store.transaction(fn);
      },
    };
    return { store: counted, count: () => count };
  }

  it("records them in one transaction, each with its own result, as if one by one", async () => {
    const { caller, task: failing } = await newDelivery();
    const succeeding = await anotherDelivery(caller);
    const { task: gone, endpoint: goneEndpoint } = await newDelivery();
    const counting = countingTransactions();
    const record = createTurnRecorder(counting.store, h.insurer.services.delivery);

    const failed = attemptReport(failing);
    const results = await Promise.all([
      record(failed),
      record(attemptReport(succeeding, delivered())),
      record(attemptReport(gone, { statusCode: 410, error: "HTTP 410" })),
      // The same report again in the same turn: it sees the first one.
      record({ ...failed }),
    ]);

    expect(counting.count()).toBe(1);
    expect(results).toEqual([
      { result: "recorded", appendedEvent: false },
      // It sees the failure before it and ends that failing run, too short (one failed
      // attempt) for an endpoint.recovered.
      { result: "recorded", appendedEvent: false, deliveredLatencyMs: expect.any(Number) },
      {
        result: "recorded",
        appendedEvent: true,
        disabled: "gone",
        syncEndpointId: goneEndpoint.id,
      },
      { result: "duplicate", appendedEvent: false },
    ]);
    expect(await deliveryRow(failing.deliveryId)).toMatchObject({
      status: "retrying",
      attemptCount: 1,
    });
    expect(await attemptRows(failing.deliveryId)).toHaveLength(1);
    expect((await deliveryRow(succeeding.deliveryId)).status).toBe("delivered");
    expect(await endpointRow(goneEndpoint.id)).toMatchObject({
      enabled: false,
      disabledReason: "gone",
    });
    expect(await disabledEvents(goneEndpoint.id)).toHaveLength(1);
  });

  it("fails only a report that cannot be recorded; the others of its turn are recorded once", async () => {
    const { caller, task: first } = await newDelivery();
    const second = await anotherDelivery(caller);
    const broken = await anotherDelivery(caller);
    const record = createTurnRecorder(h.store, h.insurer.services.delivery);

    const results = await Promise.allSettled([
      record(attemptReport(first)),
      // An unreadable start time: its delivered_at cannot be computed, after its insert.
      record(attemptReport(broken, delivered({ startedAt: "not a time" }))),
      record(attemptReport(second, delivered())),
    ]);

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await attemptRows(first.deliveryId)).toHaveLength(1);
    expect((await deliveryRow(first.deliveryId)).status).toBe("retrying");
    expect(await attemptRows(second.deliveryId)).toHaveLength(1);
    expect((await deliveryRow(second.deliveryId)).status).toBe("delivered");
    // The broken report left nothing behind.
    expect(await attemptRows(broken.deliveryId)).toEqual([]);
    expect(await deliveryRow(broken.deliveryId)).toMatchObject({
      status: "sending",
      attemptCount: 1,
    });
  });
});

describe("attempt recorder (consuming ATTEMPTS)", () => {
  it("records reports from the stream, counts them, and pushes a disable to KV", async () => {
    h.insurer.recorder.start();
    try {
      const { task, endpoint } = await newDelivery();
      await publishAttemptReport(h.queue.js, attemptReport(task));
      await waitFor(
        "the delivery to be retrying",
        async () => (await deliveryRow(task.deliveryId)).status === "retrying",
      );
      await publishAttemptReport(
        h.queue.js,
        attemptReport(task, { attemptNumber: 2, statusCode: 410 }),
      );
      await waitFor("the endpoint disabled in KV", async () => {
        const entry = await h.queue.endpoints.get(endpoint.id);
        return entry && EndpointConfigSchema.parse(entry.json()).enabled === false;
      });
      await waitFor("the attempt recorder to be caught up", async () => {
        const info = await h.queue.jsm.consumers.info(STREAMS.attempts, CONSUMERS.attemptRecorder);
        return info.num_pending === 0 && info.num_ack_pending === 0;
      });
      const metrics = await h.insurer.services.metrics.registry.getSingleMetricAsString(
        "claimwire_delivery_attempts_total",
      );
      expect(metrics).toMatch(/outcome="failed",error_class="http_status"} 2/);
    } finally {
      await h.insurer.recorder.stop();
    }
  });
});
