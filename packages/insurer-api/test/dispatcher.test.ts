import { EndpointDisabledEventSchema } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import {
  appendEvent,
  createDispatcher,
  createOutboxSignal,
  type DispatcherOptions,
} from "@claimwire/insurer-domain";
import { CONSUMERS, DeliveryTaskSchema, STREAMS, subjects } from "@claimwire/queue";
import { waitFor } from "@claimwire/testing";
import { and, eq, inArray } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  claimInput,
  expectOutboxMatchesContract,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";
import { answers, type StandInWorker, startStandInWorker } from "../src/testing/stand-in-worker.ts";

let h: TestInsurer;
let worker: StandInWorker | undefined;

beforeAll(async () => {
  // Three attempts, 100 ms then 200 ms apart: the default schedule, compressed.
  h = await startTestInsurer({
    env: { DELIVERY_RETRY_SCHEDULE: "0s,100ms,200ms", DELIVERY_SCHEDULER_INTERVAL_MS: "20" },
  });
});
afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});
afterAll(async () => {
  await expectOutboxMatchesContract(h);
  await h?.stop();
});

const silent = pino({ level: "silent" });
const deliveriesTo = async (endpointId: string) => {
  const { deliveries } = h.store.tables;
  return await h.store.db.select().from(deliveries).where(eq(deliveries.endpointId, endpointId));
};
const attemptsOf = async (deliveryId: string) => {
  const { attempts } = h.store.tables;
  return await h.store.db
    .select()
    .from(attempts)
    .where(eq(attempts.deliveryId, deliveryId))
    .orderBy(attempts.attemptNumber);
};

/** A dispatcher driven by hand (never started), over the harness's database and queue. */
const testDispatcher = (overrides: Partial<DispatcherOptions> = {}) =>
  createDispatcher({
    store: h.store,
    js: h.queue.js,
    jsm: h.queue.jsm,
    log: silent,
    signal: createOutboxSignal(),
    intervalMs: 1_000,
    batchSize: 100,
    maxInFlightPerEndpoint: 1_000,
    stuckTimeoutMs: 60_000,
    duplicateWindowMs: 600_000,
    ...overrides,
  });

/** The task JetStream holds for an attempt, found by its Nats-Msg-Id subject's messages. */
async function tasksOn(endpointId: string) {
  const tasks = [];
  const info = await h.queue.jsm.streams.info(STREAMS.deliveries);
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const msg = await h.queue.jsm.streams.getMessage(STREAMS.deliveries, { seq }).catch(() => null);
    if (msg?.subject === subjects.delivery(endpointId))
      tasks.push(DeliveryTaskSchema.parse(msg.json()));
  }
  return tasks;
}

/**
 * Leaves nothing of these endpoints for the tests after this one: their queued tasks
 * purged, their deliveries still sending marked failed.
 */
async function discardSending(clinics: readonly { endpoint: { id: string } }[]): Promise<void> {
  for (const { endpoint } of clinics) {
    await h.queue.jsm.streams.purge(STREAMS.deliveries, {
      filter: subjects.delivery(endpoint.id),
    });
    const { deliveries } = h.store.tables;
    await h.store.transaction(async (tx) => {
      await tx
        .update(deliveries)
        .set({ status: "failed" })
        .where(and(eq(deliveries.endpointId, endpoint.id), eq(deliveries.status, "sending")));
    });
  }
}

/** Tasks on DELIVERIES for an endpoint (queued, not yet taken). */
async function queuedTasks(endpointId: string): Promise<number> {
  const info = await h.queue.jsm.streams.info(STREAMS.deliveries, {
    subjects_filter: subjects.delivery(endpointId),
  });
  return info.state.subjects?.[subjects.delivery(endpointId)] ?? 0;
}

/**
 * `count` deliveries to an endpoint in the state the recorder leaves after a failed
 * attempt 1: "retrying", due at `dueAt`. Written straight to the store (with an operational
 * event each, already published) so thousands take a moment.
 */
function seedRetries(
  clinicId: string,
  endpointId: string,
  count: number,
  dueAt: (i: number) => Date,
): Promise<string[]> {
  const at = new Date().toISOString();
  const { deliveries } = h.store.tables;
  return h.store.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const event = EndpointDisabledEventSchema.parse({
        type: "endpoint.disabled",
        timestamp: at,
        data: {
          endpointId: newId("endpoint"),
          clinicId,
          url: "https://gone.example/",
          reason: "manual",
          failingSince: null,
          disabledAt: at,
        },
      });
      const { eventId } = await appendEvent(h.store, tx, event, at);
      const id = newId("delivery");
      await tx.insert(deliveries).values({
        id,
        eventId,
        endpointId,
        status: "retrying",
        attemptCount: 1,
        lastStatusCode: 503,
        lastErrorClass: "http_status",
        lastError: "HTTP 503",
        nextAttemptAt: dueAt(i).toISOString(),
        createdAt: at,
      });
      ids.push(id);
    }
    return ids;
  });
}

async function clinicWithEndpoint(
  eventTypes: ["claim.submitted"] | ["claim.paid"] = ["claim.submitted"],
) {
  const clinic = await h.newClinic();
  const endpoint = await clinic.caller.endpoints.create({
    url: `https://clinic.example/${newId("endpoint")}`,
    eventTypes,
  });
  return { ...clinic, endpoint };
}

// Each test runs the dispatcher against real rows and a real JetStream: seconds alone, far
// more on PostgreSQL beside the rest of `npm test`. A test that timed out would keep its
// dispatcher running into the next test, so the bound is generous.
describe("dispatcher", { timeout: 120_000 }, () => {
  it("publishes a change's first attempts as soon as it commits, woken by the commit, not a poll", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    // A poll far beyond the wait below: only the commit notification can wake it in time.
    const dispatcher = testDispatcher({
      intervalMs: 600_000,
      signal: h.insurer.services.outbox,
    });
    await dispatcher.republishRecent();
    dispatcher.start();
    try {
      const claim = await caller.claims.submit(claimInput());
      await waitFor(
        "one task queued for the endpoint",
        async () => (await queuedTasks(endpoint.id)) === 1,
        { timeoutMs: 5_000 },
      );
      const [row] = await deliveriesTo(endpoint.id);
      const { events } = h.store.tables;
      const [event] = await h.store.db.select().from(events).where(eq(events.claimId, claim.id));
      if (!event) throw new Error(`no event for claim ${claim.id}`);
      expect(row).toMatchObject({ status: "sending", attemptCount: 1, nextAttemptAt: null });
      expect(await tasksOn(endpoint.id)).toEqual([
        {
          deliveryId: row!.id,
          eventId: event.id,
          endpointId: endpoint.id,
          clinicId: event.clinicId,
          eventType: "claim.submitted",
          attemptNumber: 1,
          trigger: "scheduled",
          body: JSON.stringify(event.payload),
          committedAt: event.committedAt,
        },
      ]);
    } finally {
      await dispatcher.stop();
      await h.queue.jsm.streams.purge(STREAMS.deliveries, {
        filter: subjects.delivery(endpoint.id),
      });
      const { deliveries } = h.store.tables;
      await h.store.transaction(async (tx) => {
        await tx
          .update(deliveries)
          .set({ status: "failed" })
          .where(eq(deliveries.endpointId, endpoint.id));
      });
    }
  });

  it("publishes due retries oldest first, in bounded batches, as the next attempt", async () => {
    const { clinicId, endpoint } = await clinicWithEndpoint();
    const now = new Date();
    // Due 9 s, 8 s, … 0 s ago, and two not yet due.
    const ids = await seedRetries(
      clinicId,
      endpoint.id,
      12,
      (i) => new Date(now.getTime() + (i - 9) * 1_000),
    );
    const dispatcher = testDispatcher({ batchSize: 4 });

    expect(await dispatcher.dispatchDue(now)).toBe(4);
    const sending = (await deliveriesTo(endpoint.id)).filter((d) => d.status === "sending");
    expect(sending.map((d) => d.id).sort()).toEqual(ids.slice(0, 4).sort());
    expect(sending.every((d) => d.attemptCount === 2 && d.nextAttemptAt === null)).toBe(true);
    expect(await queuedTasks(endpoint.id)).toBe(4);
    const [first] = await tasksOn(endpoint.id);
    expect(first).toMatchObject({ deliveryId: ids[0], attemptNumber: 2, trigger: "scheduled" });

    expect(await dispatcher.dispatchDue(now)).toBe(4);
    expect(await dispatcher.dispatchDue(now)).toBe(2);
    expect(await dispatcher.dispatchDue(now)).toBe(0);
    const notDue = (await deliveriesTo(endpoint.id)).filter((d) => d.status === "retrying");
    expect(notDue.map((d) => d.id).sort()).toEqual(ids.slice(10).sort());
    // Out of the way of the next tests: these two fall due a second or two from now,
    // when a later test counts what it dispatches.
    const { deliveries } = h.store.tables;
    await h.store.transaction(async (tx) => {
      await tx
        .update(deliveries)
        .set({ status: "failed", nextAttemptAt: null })
        .where(inArray(deliveries.id, ids.slice(10)));
    });
  });

  it("releases an endpoint's backlog through its window, without holding back another endpoint's retry", async () => {
    const recovered = await clinicWithEndpoint();
    const other = await clinicWithEndpoint();
    const now = new Date();
    // A clinic back from an outage: 20 retries due, older than the other endpoint's one.
    const backlog = await seedRetries(
      recovered.clinicId,
      recovered.endpoint.id,
      20,
      (i) => new Date(now.getTime() - 60_000 + i),
    );
    const [single] = await seedRetries(other.clinicId, other.endpoint.id, 1, () => now);
    const dispatcher = testDispatcher({ maxInFlightPerEndpoint: 5 });

    // Five of the backlog (its window) and the other endpoint's retry, not 20 ahead of it.
    expect(await dispatcher.dispatchDue(now)).toBe(6);
    const sendingOf = async (endpointId: string) =>
      (await deliveriesTo(endpointId))
        .filter((d) => d.status === "sending")
        .map((d) => d.id)
        .sort();
    expect(await sendingOf(recovered.endpoint.id)).toEqual(backlog.slice(0, 5).sort());
    expect(await sendingOf(other.endpoint.id)).toEqual([single]);
    expect(await queuedTasks(recovered.endpoint.id)).toBe(5);

    // The window is full: nothing more until attempts come back.
    expect(await dispatcher.dispatchDue(now)).toBe(0);
    const { deliveries } = h.store.tables;
    await h.store.transaction(async (tx) => {
      await tx
        .update(deliveries)
        .set({ status: "delivered" })
        .where(
          and(eq(deliveries.endpointId, recovered.endpoint.id), eq(deliveries.status, "sending")),
        );
    });
    expect(await dispatcher.dispatchDue(now)).toBe(5);
    expect(await sendingOf(recovered.endpoint.id)).toEqual(backlog.slice(5, 10).sort());
  });

  it("keeps 5,000 waiting retries of a dead endpoint out of JetStream while a healthy endpoint's burst is delivered", async () => {
    const dead = await clinicWithEndpoint(["claim.paid"]);
    const waiting = await seedRetries(
      dead.clinicId,
      dead.endpoint.id,
      5_000,
      () => new Date(Date.now() + 3_600_000),
    );
    const healthy = await clinicWithEndpoint();
    worker = startStandInWorker(h.queue, () => answers.ok());
    h.insurer.recorder.start();
    h.insurer.dispatcher.start();
    try {
      const claims = await Promise.all(
        Array.from({ length: 100 }, () => healthy.caller.claims.submit(claimInput())),
      );
      await waitFor(
        "every claim delivered to the healthy endpoint",
        async () =>
          (await deliveriesTo(healthy.endpoint.id)).filter((d) => d.status === "delivered")
            .length === claims.length,
        { timeoutMs: 90_000 },
      );
      // The dead endpoint's retries are rows in the store, not messages held by the consumer.
      expect(await queuedTasks(dead.endpoint.id)).toBe(0);
      expect(worker.tasks.some((t) => t.endpointId === dead.endpoint.id)).toBe(false);
      const retrying = (await deliveriesTo(dead.endpoint.id)).filter(
        (d) => d.status === "retrying",
      );
      expect(retrying).toHaveLength(waiting.length);
      const consumer = await h.queue.jsm.consumers.info(
        STREAMS.deliveries,
        CONSUMERS.deliveryWorkers,
      );
      expect(consumer.num_pending + consumer.num_ack_pending).toBe(0);
      // Every healthy delivery took exactly one attempt.
      expect(worker.tasks.filter((t) => t.endpointId === healthy.endpoint.id)).toHaveLength(100);
    } finally {
      await Promise.all([h.insurer.dispatcher.stop(), h.insurer.recorder.stop()]);
      // Out of the way of the next tests.
      const { deliveries } = h.store.tables;
      await h.store.transaction(async (tx) => {
        await tx.delete(deliveries).where(eq(deliveries.endpointId, dead.endpoint.id));
      });
    }
  });

  it("retries a failing endpoint on the schedule to the dead letter, same webhook-id every time", async () => {
    const dead = await clinicWithEndpoint();
    const flaky = await clinicWithEndpoint();
    const seen = new Map<string, number>();
    worker = startStandInWorker(h.queue, (task) => {
      if (task.endpointId === dead.endpoint.id)
        return answers.status(503, { responseBody: "down" });
      // The flaky endpoint refuses the first attempt, then answers 204.
      const n = (seen.get(task.deliveryId) ?? 0) + 1;
      seen.set(task.deliveryId, n);
      return n === 1 ? answers.refused() : answers.ok();
    });
    h.insurer.recorder.start();
    h.insurer.dispatcher.start();
    try {
      await dead.caller.claims.submit(claimInput());
      await flaky.caller.claims.submit(claimInput());
      const failed = await waitFor("the dead endpoint's delivery to fail", async () => {
        const [only] = await deliveriesTo(dead.endpoint.id);
        return only?.status === "failed" ? only : null;
      });
      const delivered = await waitFor("the flaky endpoint's delivery to succeed", async () => {
        const [only] = await deliveriesTo(flaky.endpoint.id);
        return only?.status === "delivered" ? only : null;
      });

      expect(failed).toMatchObject({ attemptCount: 3, lastStatusCode: 503, nextAttemptAt: null });
      const tried = await attemptsOf(failed.id);
      expect(tried.map((a) => [a.attemptNumber, a.outcome, a.responseBody])).toEqual([
        [1, "failed", "down"],
        [2, "failed", "down"],
        [3, "failed", "down"],
      ]);
      // Each retry waited at least its scheduled delay (±20% jitter) after the last attempt.
      const gap = (i: number) =>
        Date.parse(tried[i]!.startedAt) - Date.parse(tried[i - 1]!.startedAt);
      expect(gap(1)).toBeGreaterThanOrEqual(80);
      expect(gap(2)).toBeGreaterThanOrEqual(160);
      expect(tried.map((a) => a.nextAttemptAt === null)).toEqual([false, false, true]);
      const ids = worker.tasks.filter((t) => t.deliveryId === failed.id).map((t) => t.eventId);
      expect(new Set(ids)).toEqual(new Set([failed.eventId]));

      expect(delivered).toMatchObject({ attemptCount: 2, lastStatusCode: 204 });
      expect((await attemptsOf(delivered.id)).map((a) => a.errorClass)).toEqual([
        "connection_refused",
        null,
      ]);
    } finally {
      await Promise.all([h.insurer.dispatcher.stop(), h.insurer.recorder.stop()]);
    }
  });

  it("re-sends a delivery stuck in sending whose task was lost, not one whose task is still queued", async () => {
    const first = await clinicWithEndpoint();
    const second = await clinicWithEndpoint();
    await first.caller.claims.submit(claimInput());
    await second.caller.claims.submit(claimInput());
    const dispatcher = testDispatcher();
    expect(await dispatcher.dispatchDue()).toBe(2);
    const later = new Date(Date.now() + 61_000);
    // No worker took them: both tasks still wait on the stream, so nothing is re-sent.
    expect(await dispatcher.redispatchStuck(later)).toBe(0);
    expect(await queuedTasks(first.endpoint.id)).toBe(1);

    // One task is lost (as after a server crash that dropped the stream's tail).
    const lostTask = await h.queue.jsm.streams.getMessage(STREAMS.deliveries, {
      last_by_subj: subjects.delivery(first.endpoint.id),
    });
    await h.queue.jsm.streams.deleteMessage(STREAMS.deliveries, lostTask!.seq);
    const muchLater = new Date(later.getTime() + 61_000);
    expect(await dispatcher.redispatchStuck(muchLater)).toBe(1);
    expect(await deliveriesTo(first.endpoint.id)).toMatchObject([
      { status: "sending", attemptCount: 2 },
    ]);
    expect(await deliveriesTo(second.endpoint.id)).toMatchObject([
      { status: "sending", attemptCount: 1 },
    ]);
    expect(await tasksOn(first.endpoint.id)).toMatchObject([
      {
        deliveryId: (await deliveriesTo(first.endpoint.id))[0]!.id,
        attemptNumber: 2,
        trigger: "scheduled",
      },
    ]);
    await discardSending([first, second]);
  });

  it("re-sends a stuck delivery whose task is still stored but no longer owed by the consumer", async () => {
    const gone = await clinicWithEndpoint();
    const stranded = await clinicWithEndpoint();
    await gone.caller.claims.submit(claimInput());
    await stranded.caller.claims.submit(claimInput());
    const dispatcher = testDispatcher();
    expect(await dispatcher.dispatchDue()).toBe(2);
    // nats-server 2.9.10 can leave a task stored that its consumer counts as acknowledged
    // (seen after a kill -9 of the server). A purge of one subject makes the same state:
    // the consumer moves past every stored task, and the other endpoint's task stays,
    // never to be handed out.
    const { jsm } = h.queue;
    await jsm.streams.purge(STREAMS.deliveries, { filter: subjects.delivery(gone.endpoint.id) });
    const consumer = await jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers);
    expect([consumer.num_pending, consumer.num_ack_pending]).toEqual([0, 0]);
    expect(await queuedTasks(stranded.endpoint.id)).toBe(1);

    // Both are re-sent: waiting on the stranded task would wait forever.
    expect(await dispatcher.redispatchStuck(new Date(Date.now() + 61_000))).toBe(2);
    for (const { endpoint } of [gone, stranded]) {
      expect(await deliveriesTo(endpoint.id)).toMatchObject([
        { status: "sending", attemptCount: 2 },
      ]);
    }
    await discardSending([gone, stranded]);
  });

  it("waits for an endpoint's unrecorded report before re-sending, and only for that endpoint", async () => {
    const reporting = await clinicWithEndpoint();
    const silent = await clinicWithEndpoint();
    await reporting.caller.claims.submit(claimInput());
    await silent.caller.claims.submit(claimInput());
    const dispatcher = testDispatcher();
    expect(await dispatcher.dispatchDue()).toBe(2);
    // Both tasks were taken (and are gone from the work queue); only one endpoint's
    // report is on ATTEMPTS, not yet recorded (the recorder is not running here).
    for (const { endpoint } of [reporting, silent]) {
      await h.queue.jsm.streams.purge(STREAMS.deliveries, {
        filter: subjects.delivery(endpoint.id),
      });
    }
    const [row] = await deliveriesTo(reporting.endpoint.id);
    await h.queue.js.publish(
      subjects.attempt(reporting.endpoint.id),
      JSON.stringify({ unrecorded: row?.id }),
    );
    const later = new Date(Date.now() + 61_000);
    expect(await dispatcher.redispatchStuck(later)).toBe(1);
    expect(await deliveriesTo(silent.endpoint.id)).toMatchObject([{ attemptCount: 2 }]);
    expect(await deliveriesTo(reporting.endpoint.id)).toMatchObject([{ attemptCount: 1 }]);

    // Once the report is recorded (gone from the stream), the next scan decides.
    await h.queue.jsm.streams.purge(STREAMS.attempts, {
      filter: subjects.attempt(reporting.endpoint.id),
    });
    expect(await dispatcher.redispatchStuck(later)).toBe(1);
    expect(await deliveriesTo(reporting.endpoint.id)).toMatchObject([{ attemptCount: 2 }]);
    await discardSending([reporting, silent]);
  });

  it("publishes again, under the same Nats-Msg-Id, an attempt a crash left claimed but unpublished", async () => {
    const { caller, endpoint } = await clinicWithEndpoint();
    await caller.claims.submit(claimInput());
    // The claim committed, then the process died before the publish: claimed by hand.
    const [row] = await deliveriesTo(endpoint.id);
    const at = new Date().toISOString();
    const { deliveries } = h.store.tables;
    await h.store.transaction(async (tx) => {
      await tx
        .update(deliveries)
        .set({ attemptCount: 1, nextAttemptAt: null, dispatchedAt: at })
        .where(eq(deliveries.id, row!.id));
    });
    expect(await queuedTasks(endpoint.id)).toBe(0);

    const dispatcher = testDispatcher();
    // Only what the stream lacked is new; the rest (other tests' queued tasks) are dropped copies.
    expect(await dispatcher.republishRecent()).toBeGreaterThanOrEqual(1);
    expect(await tasksOn(endpoint.id)).toMatchObject([{ deliveryId: row!.id, attemptNumber: 1 }]);
    expect(await dispatcher.republishRecent()).toBe(0);
    expect(await queuedTasks(endpoint.id)).toBe(1);
    await h.queue.jsm.streams.purge(STREAMS.deliveries, { filter: subjects.delivery(endpoint.id) });
    await h.store.transaction(async (tx) => {
      await tx.update(deliveries).set({ status: "failed" }).where(eq(deliveries.id, row!.id));
    });
  });

  it("dispatches a rate-limited endpoint's deliveries at its rate, and others at once", async () => {
    const limited = await clinicWithEndpoint();
    await limited.caller.endpoints.update({
      endpointId: limited.endpoint.id,
      rateLimitPerSecond: 20,
    });
    const free = await clinicWithEndpoint();
    for (let i = 0; i < 10; i++) {
      await limited.caller.claims.submit(claimInput());
      await free.caller.claims.submit(claimInput());
    }
    let clock = Date.now();
    const dispatcher = testDispatcher({ now: () => clock });
    // A tenth of a second's worth at once (2 tokens), and every one of the free endpoint's.
    await dispatcher.dispatchDue();
    const sendingOf = async (endpointId: string) =>
      (await deliveriesTo(endpointId)).filter(
        (d) => d.status === "sending" && d.nextAttemptAt === null,
      ).length;
    expect(await sendingOf(limited.endpoint.id)).toBe(2);
    expect(await sendingOf(free.endpoint.id)).toBe(10);
    // 20 per second: one more every 50 ms.
    clock += 100;
    await dispatcher.dispatchDue();
    expect(await sendingOf(limited.endpoint.id)).toBe(4);
    clock += 1_000;
    await dispatcher.dispatchDue();
    expect(await sendingOf(limited.endpoint.id)).toBe(6);
    clock += 1_000;
    await dispatcher.dispatchDue();
    expect(await sendingOf(limited.endpoint.id)).toBe(8);
    for (const { endpoint } of [limited, free]) {
      await h.queue.jsm.streams.purge(STREAMS.deliveries, {
        filter: subjects.delivery(endpoint.id),
      });
      const { deliveries } = h.store.tables;
      await h.store.transaction(async (tx) => {
        await tx
          .update(deliveries)
          .set({ status: "failed", nextAttemptAt: null })
          .where(eq(deliveries.endpointId, endpoint.id));
      });
    }
  });
});
