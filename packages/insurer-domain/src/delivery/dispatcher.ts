import type { Store, Tables } from "@claimwire/insurer-db";
import {
  CONSUMERS,
  type DeliveryTask,
  deliveryTaskSpanAttributes,
  publishDeliveryTask,
  type Queue,
  STREAMS,
  subjects,
} from "@claimwire/queue";
import { contextFromTraceparent, inSpan, SpanKind, traceHeaders } from "@claimwire/telemetry";
import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { OutboxSignal } from "../domain/outbox.ts";
import { createTokenBuckets } from "../domain/token-buckets.ts";
import { deliveryTask } from "./delivery-task.ts";
import { type DueDelivery, selectDueDeliveries } from "./due-deliveries.ts";

export type DispatcherOptions = {
  store: Store;
  js: Queue["js"];
  jsm: Queue["jsm"];
  log: Logger;
  /** Commit notifications: a change that appended deliveries wakes the dispatcher at once. */
  signal: OutboxSignal;
  /** The safety net between wake-ups (DELIVERY_SCHEDULER_INTERVAL_MS). */
  intervalMs: number;
  /** Deliveries dispatched per round at most (DELIVERY_SCHEDULER_BATCH). */
  batchSize: number;
  /** Deliveries in flight to one endpoint at once, across every worker (ENDPOINT_DEFAULT_MAX_CONCURRENCY). */
  maxInFlightPerEndpoint: number;
  /** A delivery in flight this long, with no report and no task on the stream, is sent again. */
  stuckTimeoutMs: number;
  /** DELIVERIES' dedup window: at start, attempts dispatched within it are published again. */
  duplicateWindowMs: number;
  /** The clock of the per-endpoint rate limits (tests pass a fake one). */
  now?: () => number;
};

export type Dispatcher = {
  start(): void;
  stop(): Promise<void>;
  /** Publishes due deliveries, oldest due first, up to one batch. Returns how many. */
  dispatchDue(now?: Date): Promise<number>;
  /** Re-dispatches in-flight deliveries whose task was lost. Returns how many. */
  redispatchStuck(now?: Date): Promise<number>;
  /**
   * Publishes again, under the same Nats-Msg-Id, the attempts dispatched within the dedup
   * window: a crash between a claim and its publish left them with no task, and JetStream
   * drops the copies of those it has. Runs at start. Returns how many were new.
   */
  republishRecent(now?: Date): Promise<number>;
  /** Runs a round soon. */
  wake(): void;
  /** A recorded attempt freed room in its endpoint's window: a round, if work was held back. */
  roomFreed(): void;
};

type DeliveryRow = Tables["deliveries"]["$inferSelect"];

/** The least time between the end of one round and the start of the next, under load. */
const ROUND_GAP_MS = 1;
/** A claimed row's task, the row as it was (to put back), and its event's trace. */
type Claimed = { task: DeliveryTask; before: DeliveryRow; traceparent: string | null };

/**
 * The one place where a delivery becomes a message (docs/decisions/0001-one-path-to-the-queue.md).
 * Deliveries are written in their event's transaction, due at once; waiting retries,
 * resends and recoveries are rows with a later `next_attempt_at`. Each round claims a
 * bounded batch of due rows in one transaction (attempt number + 1, `dispatched_at`),
 * then publishes their tasks to DELIVERIES with `${deliveryId}.${attempt}` as
 * Nats-Msg-Id. A task JetStream refuses is put back as it was; a crash between the claim
 * and the publish is healed at start (republishRecent), or, past the dedup window, by the
 * stuck scan.
 *
 * Per-endpoint throughput is owned here, once for every worker: an endpoint has at most
 * `maxInFlightPerEndpoint` deliveries dispatched and not yet reported, and at most its
 * rate limit dispatched per second. The rest waits here, due, and goes out as room frees
 * (the attempt recorder wakes the dispatcher), so a slow endpoint or a recovering
 * clinic's backlog never queues ahead of other clinics on the shared stream.
 */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  const { store, log } = opts;
  const { db } = store;
  const { deliveries, events } = store.tables;
  const rates = createTokenBuckets(opts.now ? { now: opts.now } : {});
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let lastStuckScan = 0;
  let unsubscribe: (() => void) | undefined;

  /** Marks rows as dispatched as their next attempt; returns the tasks to publish. */
  async function claim(ids: readonly string[], at: string): Promise<Claimed[]> {
    if (ids.length === 0) return [];
    return store.transaction(async (tx) => {
      const rows = await tx
        .select({ delivery: deliveries, event: events })
        .from(deliveries)
        .innerJoin(events, eq(events.id, deliveries.eventId))
        .where(and(inArray(deliveries.id, [...ids]), isNotNull(deliveries.nextAttemptAt)))
        .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id));
      if (rows.length === 0) return [];
      // One statement for the whole batch: the right-hand sides read the old values.
      await tx
        .update(deliveries)
        .set({
          // A resend of a delivered delivery leaves it delivered, whatever it does.
          status: sql`case when ${deliveries.status} = 'delivered' then 'delivered' else 'sending' end`,
          attemptCount: sql`${deliveries.attemptCount} + 1`,
          // A manual attempt (resend, recovery) starts a fresh schedule run.
          scheduleBase: sql`case when ${deliveries.nextTrigger} = 'manual' then ${deliveries.attemptCount} else ${deliveries.scheduleBase} end`,
          nextAttemptAt: null,
          nextTrigger: "scheduled",
          dispatchedAt: at,
        })
        .where(
          inArray(
            deliveries.id,
            rows.map((row) => row.delivery.id),
          ),
        );
      return rows.map(({ delivery, event }) => ({
        task: deliveryTask({
          deliveryId: delivery.id,
          endpointId: delivery.endpointId,
          attemptNumber: delivery.attemptCount + 1,
          trigger: delivery.nextTrigger,
          event,
        }),
        before: delivery,
        traceparent: event.traceparent,
      }));
    });
  }

  async function publish(claimed: Claimed[]): Promise<number> {
    if (claimed.length === 0) return 0;
    const results = await Promise.allSettled(
      claimed.map(({ task, traceparent }) => publishInTrace(opts.js, task, traceparent)),
    );
    const refused = claimed.filter((_, i) => results[i]?.status === "rejected");
    if (refused.length > 0) {
      // Not queued, so no report can have moved them on: put each back as it was.
      await store.transaction(async (tx) => {
        for (const { task, before } of refused) {
          const { id: _id, ...previous } = before;
          await tx
            .update(deliveries)
            .set(previous)
            .where(
              and(
                eq(deliveries.id, task.deliveryId),
                eq(deliveries.attemptCount, task.attemptNumber),
                isNull(deliveries.nextAttemptAt),
              ),
            );
        }
      });
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      log.warn(
        { err: failed.reason, unpublished: refused.length },
        "delivery tasks not published; put back to dispatch again",
      );
    }
    return claimed.length - refused.length;
  }

  /** Takes a rate token for each due row whose endpoint has a rate limit; the rest wait. */
  function withinRates(due: readonly DueDelivery[]): {
    ids: string[];
    waitMs: number | null;
  } {
    const ids: string[] = [];
    let waitMs: number | null = null;
    for (const row of due) {
      if (row.rateLimitPerSecond === null) {
        ids.push(row.id);
        continue;
      }
      // A tenth of a second's worth at once (at least one), so a burst cannot crowd its second.
      const perSecond = row.rateLimitPerSecond;
      const taken = rates.take(row.endpointId, { perSecond, burst: perSecond / 10 });
      if (taken.ok) ids.push(row.id);
      else waitMs = Math.min(waitMs ?? taken.waitMs, taken.waitMs);
    }
    return { ids, waitMs };
  }

  /** When a rate-limited endpoint's next token is due (null: none waiting). */
  let rateWaitMs: number | null = null;
  /** The last round left due deliveries behind a full window: a report frees room for them. */
  let heldBack = false;

  /** Publishes under way: the running loop does not wait for their acks to go round again. */
  const publishing = new Set<Promise<number>>();

  /**
   * Selects and claims what is due now, and starts publishing it. Claimed rows are no
   * longer due, so the next round can start before JetStream acknowledges these.
   */
  async function startRound(now: Date): Promise<{ claimed: number; published: Promise<number> }> {
    const at = now.toISOString();
    const selected = await selectDueDeliveries(
      store,
      at,
      opts.batchSize,
      opts.maxInFlightPerEndpoint,
    );
    heldBack = selected.heldBack;
    const { ids, waitMs } = withinRates(selected.due);
    rateWaitMs = waitMs;
    const claimed = await claim(ids, at);
    const published = publish(claimed);
    publishing.add(published);
    void published.finally(() => publishing.delete(published)).catch(() => {});
    return { claimed: claimed.length, published };
  }

  async function dispatchDue(now = new Date()): Promise<number> {
    return (await startRound(now)).published;
  }

  /**
   * Whether `stream` (a work queue read by one consumer) holds a message of `subject` that
   * will still reach a reader. When the consumer owes nothing at all (none pending, none
   * awaiting an ack), a message left in the stream is one it already acknowledged:
   * nats-server 2.9.10 can leave such messages after a kill -9, and waiting for them
   * would wait forever. `owing` caches each consumer's answer for one scan.
   */
  async function owes(
    stream: string,
    consumer: string,
    subject: string,
    owing: Map<string, Promise<boolean>>,
  ): Promise<boolean> {
    const info = await opts.jsm.streams.info(stream, { subjects_filter: subject });
    if ((info.state.subjects?.[subject] ?? 0) === 0) return false;
    let owed = owing.get(stream);
    if (!owed) {
      owed = opts.jsm.consumers
        .info(stream, consumer)
        .then((c) => c.num_pending + c.num_ack_pending > 0);
      owing.set(stream, owed);
    }
    return owed;
  }

  async function redispatchStuck(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - opts.stuckTimeoutMs).toISOString();
    const stuck = await db
      .select({ id: deliveries.id, endpointId: deliveries.endpointId })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.status, "sending"),
          isNull(deliveries.nextAttemptAt),
          lt(deliveries.dispatchedAt, cutoff),
        ),
      )
      .orderBy(asc(deliveries.dispatchedAt))
      .limit(opts.batchSize);
    if (stuck.length === 0) return 0;
    const at = now.toISOString();
    const lost: string[] = [];
    const waiting: string[] = [];
    // Per endpoint, from the streams themselves (not the consumers' counts, which
    // nats-server 2.9.10 can leave holding phantom ack-pending messages after a kill -9),
    // counting them only while their consumer owes anything: an unrecorded report may be
    // the answer we wait for, so look again next scan; a task still queued or with a
    // worker means the attempt is alive, so look after another timeout; neither means the
    // attempt was lost.
    const state = new Map<string, "reporting" | "queued" | "lost">();
    const owing = new Map<string, Promise<boolean>>();
    for (const row of stuck) {
      let endpoint = state.get(row.endpointId);
      if (!endpoint) {
        const { attemptRecorder, deliveryWorkers } = CONSUMERS;
        if (
          await owes(STREAMS.attempts, attemptRecorder, subjects.attempt(row.endpointId), owing)
        ) {
          endpoint = "reporting";
        } else if (
          await owes(STREAMS.deliveries, deliveryWorkers, subjects.delivery(row.endpointId), owing)
        ) {
          endpoint = "queued";
        } else endpoint = "lost";
        state.set(row.endpointId, endpoint);
      }
      if (endpoint === "queued") waiting.push(row.id);
      if (endpoint === "lost") lost.push(row.id);
    }
    if (waiting.length > 0) {
      // Its endpoint still has tasks queued or with a worker: look again after another timeout.
      await store.transaction((tx) =>
        tx
          .update(deliveries)
          .set({ dispatchedAt: at })
          .where(and(eq(deliveries.status, "sending"), inArray(deliveries.id, waiting))),
      );
    }
    if (lost.length === 0) return 0;
    log.warn({ count: lost.length }, "re-sending deliveries whose attempt was lost");
    // Due again now, as the next attempt of the same run.
    await store.transaction((tx) =>
      tx
        .update(deliveries)
        .set({ nextAttemptAt: at })
        .where(
          and(
            inArray(deliveries.id, lost),
            eq(deliveries.status, "sending"),
            isNull(deliveries.nextAttemptAt),
          ),
        ),
    );
    return publish(await claim(lost, at));
  }

  async function republishRecent(now = new Date()): Promise<number> {
    const since = new Date(now.getTime() - opts.duplicateWindowMs).toISOString();
    const recent = await db
      .select({ delivery: deliveries, event: events })
      .from(deliveries)
      .innerJoin(events, eq(events.id, deliveries.eventId))
      .where(
        and(
          eq(deliveries.status, "sending"),
          isNull(deliveries.nextAttemptAt),
          gte(deliveries.dispatchedAt, since),
        ),
      );
    const results = await Promise.all(
      recent.map(({ delivery, event }) =>
        publishInTrace(
          opts.js,
          deliveryTask({
            deliveryId: delivery.id,
            endpointId: delivery.endpointId,
            attemptNumber: delivery.attemptCount,
            trigger: "scheduled",
            event,
          }),
          event.traceparent,
        ),
      ),
    );
    const republished = results.filter((ack) => !ack.duplicate).length;
    if (republished > 0) log.warn({ republished }, "published attempts a crash left unpublished");
    return republished;
  }

  async function tick(): Promise<boolean> {
    try {
      const sent = (await startRound(new Date())).claimed;
      const now = Date.now();
      // A quarter of the timeout apart: a lost attempt is re-sent within 1.25 timeouts.
      if (now - lastStuckScan >= Math.min(opts.stuckTimeoutMs / 4, 60_000)) {
        lastStuckScan = now;
        await redispatchStuck();
      }
      // A full batch means more may be due already.
      return sent >= opts.batchSize;
    } catch (err) {
      log.error({ err }, "dispatcher round failed");
      return false;
    }
  }

  let running = false;
  /** A wake-up came during a round, or one is scheduled: no second one is needed. */
  let woken = false;
  let stopped = true;
  /** When the last round ended (performance.now()). */
  let lastRoundEnd = Number.NEGATIVE_INFINITY;

  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = setTimeout(loop, delayMs);
  }

  /**
   * Idle, a wake-up starts a round at once; busy (a round ended less than ROUND_GAP_MS
   * ago), it waits out the gap, so the commits and reports of a burst share a round
   * instead of each paying for its own queries and transaction.
   */
  function soon(): number {
    return Math.max(0, ROUND_GAP_MS - (performance.now() - lastRoundEnd));
  }

  function loop(): void {
    running = true;
    woken = false;
    round = tick().then((full) => {
      running = false;
      lastRoundEnd = performance.now();
      if (stopped) return;
      if (full || woken) {
        woken = true;
        schedule(soon());
      } else schedule(Math.min(opts.intervalMs, rateWaitMs ?? opts.intervalMs));
    });
  }

  function wake(): void {
    if (stopped || woken) return;
    woken = true;
    // Mid-round, the round's end schedules the next one.
    if (!running) schedule(soon());
  }

  return {
    dispatchDue,
    redispatchStuck,
    republishRecent,
    wake,
    roomFreed() {
      if (heldBack) wake();
    },
    start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe = opts.signal.subscribe(wake);
      round = republishRecent()
        .catch((err: unknown) => log.error({ err }, "republishing recent attempts failed"))
        .then(() => {
          if (!stopped) schedule(0);
        });
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      clearTimeout(timer);
      await round;
      await Promise.allSettled([...publishing]);
    },
  };
}

/**
 * Publishes a task in a span of its event's trace (the change that committed the event,
 * however long ago), the message carrying that span's context for the worker.
 */
function publishInTrace(js: Queue["js"], task: DeliveryTask, traceparent: string | null) {
  return inSpan(
    `publish ${STREAMS.deliveries}`,
    {
      kind: SpanKind.PRODUCER,
      parent: contextFromTraceparent(traceparent),
      attributes: deliveryTaskSpanAttributes(task),
    },
    () => publishDeliveryTask(js, task, traceHeaders()),
  );
}
