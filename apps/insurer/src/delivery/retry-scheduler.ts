import {
  CONSUMERS,
  type DeliveryTask,
  publishDeliveryTask,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { and, asc, eq, inArray, lt } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/open-database.ts";
import { deliveries, events } from "../db/schema.ts";
import { deliveryTask } from "./delivery-task.ts";
import { selectDueRetries } from "./due-retries.ts";

export type RetrySchedulerOptions = {
  db: Db;
  js: Queue["js"];
  jsm: Queue["jsm"];
  log: Logger;
  /** How often to look for work (DELIVERY_SCHEDULER_INTERVAL_MS). */
  intervalMs: number;
  /** Deliveries dispatched per round at most (DELIVERY_SCHEDULER_BATCH). */
  batchSize: number;
  /** Per endpoint, retries are released while fewer are in flight (DELIVERY_RETRY_WINDOW). */
  retryWindow: number;
  /** A "sending" delivery this old, with no report and no task on the stream, is re-sent. */
  stuckTimeoutMs: number;
};

export type RetryScheduler = {
  start(): void;
  stop(): Promise<void>;
  /** Publishes due retries, oldest due first, up to one batch. Returns how many. */
  dispatchDue(now?: Date): Promise<number>;
  /** Re-dispatches deliveries stuck in "sending". Returns how many. */
  redispatchStuck(now?: Date): Promise<number>;
  /**
   * Runs a round soon (WAKE_DELAY_MS from now, or from the end of the running round): called when an attempt is
   * recorded, since that frees room in its endpoint's window for a waiting retry.
   */
  wake(): void;
};

/** Wake-ups closer together than this share a round, so a burst of reports costs one query. */
const WAKE_DELAY_MS = 5;

type Claimed = { task: DeliveryTask; before: typeof deliveries.$inferSelect };

/**
 * Sends retries when they are due (issue 3, items 1 and 3). Waiting retries live only
 * in SQLite ("retrying", indexed by next_attempt_at), never in the live JetStream
 * consumer: a dead endpoint's thousands of pending retries hold no delivery capacity
 * (a nak'ed-with-delay message would count against max_ack_pending on 2.9), and the
 * stream only ever holds work that is due now. See docs/delivery.md.
 *
 * Each round claims a bounded batch in one transaction ("sending", next attempt number,
 * dispatched_at), then publishes it. A task JetStream refuses is put back as it was; a
 * crash between claim and publish leaves a "sending" row that the stuck scan re-sends.
 */
export function createRetryScheduler(opts: RetrySchedulerOptions): RetryScheduler {
  const { db, log } = opts;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let lastStuckScan = 0;

  /** Marks rows as dispatched as their next attempt; returns the tasks to publish. */
  function claim(
    rows: { delivery: typeof deliveries.$inferSelect; event: typeof events.$inferSelect }[],
    at: string,
    trigger: (row: typeof deliveries.$inferSelect) => DeliveryTask["trigger"],
  ): Claimed[] {
    return db.transaction(
      (tx) =>
        rows.flatMap(({ delivery, event }) => {
          const attemptNumber = delivery.attemptCount + 1;
          const how = trigger(delivery);
          const updated = tx
            .update(deliveries)
            .set({
              status: "sending",
              attemptCount: attemptNumber,
              // A manual re-queue (recovery) starts a fresh schedule run.
              ...(how === "manual" ? { scheduleBase: attemptNumber - 1 } : {}),
              nextAttemptAt: null,
              nextTrigger: "scheduled",
              dispatchedAt: at,
              taskSeq: null,
            })
            // Only if nothing moved it since it was read (a report, a resend, a disable).
            .where(
              and(
                eq(deliveries.id, delivery.id),
                eq(deliveries.status, delivery.status),
                eq(deliveries.attemptCount, delivery.attemptCount),
              ),
            )
            .run();
          if (updated.changes === 0) return [];
          const task = deliveryTask({
            deliveryId: delivery.id,
            endpointId: delivery.endpointId,
            attemptNumber,
            trigger: how,
            event,
          });
          return [{ task, before: delivery }];
        }),
      { behavior: "immediate" },
    );
  }

  async function publish(claimed: Claimed[]): Promise<number> {
    const results = await Promise.allSettled(
      claimed.map(({ task }) => publishDeliveryTask(opts.js, task)),
    );
    let published = 0;
    db.transaction((tx) => {
      claimed.forEach(({ task, before }, i) => {
        const result = results[i];
        const dispatched = and(
          eq(deliveries.id, task.deliveryId),
          eq(deliveries.attemptCount, task.attemptNumber),
          eq(deliveries.status, "sending"),
        );
        if (result?.status === "fulfilled") {
          published++;
          tx.update(deliveries).set({ taskSeq: result.value.seq }).where(dispatched).run();
        } else {
          const { id: _id, ...previous } = before;
          tx.update(deliveries).set(previous).where(dispatched).run();
        }
      });
    });
    const failed = results.find((r) => r.status === "rejected");
    if (failed) {
      log.warn(
        { err: failed.reason, unpublished: claimed.length - published },
        "delivery tasks not published; put back to retry",
      );
    }
    return published;
  }

  async function dispatchDue(now = new Date()): Promise<number> {
    const at = now.toISOString();
    const due = selectDueRetries(db, at, opts.batchSize, opts.retryWindow);
    if (due.length === 0) return 0;
    return publish(claim(due, at, (row) => row.nextTrigger));
  }

  /** Whether the task of a dispatched attempt is still on DELIVERIES (queued or in flight). */
  async function taskStillQueued(delivery: typeof deliveries.$inferSelect): Promise<boolean> {
    if (delivery.taskSeq === null) return false;
    const msg = await opts.jsm.streams
      .getMessage(STREAMS.deliveries, { seq: delivery.taskSeq })
      .catch(() => null);
    // After a lost tail the sequence may be reused by another task: check it is ours.
    return msg?.header?.get("Nats-Msg-Id") === `${delivery.id}.${delivery.attemptCount}`;
  }

  async function redispatchStuck(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - opts.stuckTimeoutMs).toISOString();
    const stuck = db
      .select({ delivery: deliveries, event: events })
      .from(deliveries)
      .innerJoin(events, eq(events.id, deliveries.eventId))
      .where(and(eq(deliveries.status, "sending"), lt(deliveries.dispatchedAt, cutoff)))
      .orderBy(asc(deliveries.dispatchedAt))
      .limit(opts.batchSize)
      .all();
    if (stuck.length === 0) return 0;
    // Reports not yet recorded may be the answer we are waiting for: wait for them.
    const recorder = await opts.jsm.consumers.info(STREAMS.attempts, CONSUMERS.attemptRecorder);
    if (recorder.num_pending + recorder.num_ack_pending > 0) return 0;
    const at = now.toISOString();
    const lost: typeof stuck = [];
    const waiting: string[] = [];
    for (const row of stuck) {
      if (await taskStillQueued(row.delivery)) waiting.push(row.delivery.id);
      else lost.push(row);
    }
    if (waiting.length > 0) {
      // Queued behind others or held by a worker: look again after another timeout.
      db.update(deliveries)
        .set({ dispatchedAt: at })
        .where(and(eq(deliveries.status, "sending"), inArray(deliveries.id, waiting)))
        .run();
    }
    if (lost.length === 0) return 0;
    log.warn({ count: lost.length }, "re-sending deliveries whose attempt was lost");
    return publish(claim(lost, at, () => "scheduled"));
  }

  async function tick(): Promise<void> {
    try {
      // Drain what is due in bounded batches; a full batch means more may be waiting.
      for (;;) {
        const sent = await dispatchDue();
        if (sent < opts.batchSize || !timer) break;
      }
      const now = Date.now();
      if (now - lastStuckScan >= Math.min(opts.stuckTimeoutMs, 60_000)) {
        lastStuckScan = now;
        await redispatchStuck();
      }
    } catch (err) {
      log.error({ err }, "retry scheduler round failed");
    }
  }

  let running = false;
  /** A round sooner than the interval was asked for and has not started yet. */
  let woken = false;
  function loop(): void {
    running = true;
    woken = false;
    round = tick().finally(() => {
      running = false;
      if (timer) timer = setTimeout(loop, woken ? WAKE_DELAY_MS : opts.intervalMs);
    });
  }

  return {
    dispatchDue,
    redispatchStuck,
    start() {
      if (timer) return;
      timer = setTimeout(loop, 0);
    },
    wake() {
      // Stopped, or a woken round is already on its way.
      if (!timer || woken) return;
      woken = true;
      // Mid-round, the round's end schedules the next one WAKE_DELAY_MS later.
      if (running) return;
      clearTimeout(timer);
      timer = setTimeout(loop, WAKE_DELAY_MS);
    },
    async stop() {
      const active = timer;
      timer = undefined;
      clearTimeout(active);
      await round;
    },
  };
}
