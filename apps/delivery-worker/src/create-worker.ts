import { newId } from "@claimwire/ids";
import {
  type AttemptReport,
  CONSUMERS,
  type ConsumeOptions,
  consumeMessages,
  type DeliveryTask,
  DeliveryTaskSchema,
  type EndpointConfig,
  publishAttemptReport,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { attemptDelivery } from "./attempt-delivery.ts";
import { createEndpointLanes, type Slot, type Waiter } from "./endpoint-lanes.ts";
import { type EndpointLookup, readEndpoint } from "./read-endpoint.ts";
import { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics.ts";

export type Clock = { now(): number };

/** The JetStream message of a task (typed through @claimwire/queue, which owns nats.js). */
type TaskMsg = Parameters<ConsumeOptions<typeof DeliveryTaskSchema>["handle"]>[1];

/** A task waiting in this process for a slot of its endpoint. */
type LocalWaiter = Waiter & { msg: TaskMsg };

/** When the report cannot be published (or a waiting task's run fails), the task comes back after this long. */
const REPORT_FAILED_RETRY_MS = 1_000;
/** Tasks waiting here at shutdown are put back for another worker at once (see stop()). */
const SHUTDOWN_NAK_DELAY_MS = 1;

export type WorkerConfig = {
  workerId: string;
  /** One deadline per request: connect + response headers + response body. */
  timeoutMs: number;
  /** Tasks handled at once by this process. */
  concurrency: number;
  /** Bound on a task's estimated wait in this process for a slot of its endpoint (DELIVERY_MAX_LOCAL_WAIT_MS). */
  maxLocalWaitMs: number;
  /**
   * How many workers share the deliveries (DELIVERY_WORKER_COUNT; default 1): each
   * enforces 1/workerCount of an endpoint's rate limit, so together they stay within it.
   */
  workerCount?: number;
  /**
   * DELIVERY_STALL_AFTER_MS: how long the delivery consumer may hand out nothing while it
   * has undelivered tasks and pull requests waiting, before this worker pulls afresh (and,
   * after as long again, re-creates the consumer). 0 or absent: no watch.
   * See docs/delivery.md, "A stalled delivery consumer".
   */
  stallAfterMs?: number;
};

export type WorkerDeps = {
  queue: Pick<Queue, "js" | "endpoints">;
  /** The guarded keep-alive Agent from createDeliveryDispatcher, shared by every POST. */
  dispatcher: Dispatcher;
  /** Wall-clock milliseconds: webhook timestamps, startedAt, retiring-key expiry. */
  clock: Clock;
  config: WorkerConfig;
  logger: Logger;
  /** Served on /metrics by main.ts; a fresh registry when omitted. */
  metrics?: WorkerMetrics;
  /** For the jitter of deferred tasks. */
  random?: () => number;
};

export type Worker = {
  /**
   * Consumes delivery tasks until `signal` aborts; then puts the locally waiting tasks
   * back at once and waits for the requests in flight.
   */
  run(signal: AbortSignal): Promise<void>;
};

/**
 * A stateless delivery worker. For each task it reads the endpoint's config from KV and,
 * when the endpoint has a free slot (fewer than `maxConcurrency` requests in flight
 * here), signs at send time, POSTs, publishes one AttemptReport and acks, whatever the
 * outcome: the insurer alone decides retries. Only when the report cannot be published
 * is the task nak'ed, to be attempted again.
 *
 * A task for a busy endpoint (every slot taken, or its rate limit reached) either waits
 * here, in that endpoint's FIFO, when its
 * estimated wait is within `maxLocalWaitMs` (see endpoint-lanes.ts), or is put back
 * (nak with a delay near the estimate) without an attempt or a report. A waiting task
 * returns from the handler at once: it holds none of the `concurrency` handler slots,
 * so a busy or slow endpoint never takes the worker's capacity from the others. Waiting
 * tasks stay unacked JetStream messages, counted against the consumer's max_ack_pending
 * and ack_wait (60 s) exactly as nak'ed ones are; the time bound (2 s at most by
 * default) keeps each well inside ack_wait and their number to about a second of the
 * endpoint's throughput.
 *
 * @example
 * const worker = createWorker({ queue, dispatcher, clock: { now: Date.now }, config, logger });
 * await worker.run(controller.signal);
 */
export function createWorker({
  queue,
  dispatcher,
  clock,
  config,
  logger,
  metrics = createWorkerMetrics(),
  random = Math.random,
}: WorkerDeps): Worker {
  const log = logger.child({ workerId: config.workerId });
  const lanes = createEndpointLanes<LocalWaiter>({ maxLocalWaitMs: config.maxLocalWaitMs, random });
  const workerCount = config.workerCount ?? 1;
  /** This worker's share of the endpoint's rate limit (see WorkerConfig.workerCount). */
  const rateShare = ({ rateLimitPerSecond }: EndpointConfig): number | null =>
    rateLimitPerSecond == null ? null : rateLimitPerSecond / workerCount;
  /** Runs of tasks that waited here, outside the consume loop's handlers. */
  const detached = new Set<Promise<void>>();
  let stopping = false;

  function updateWaiting(): void {
    metrics.localWaiting.set(lanes.waiting());
  }

  /** Puts a task back for later, without an attempt or a report. */
  function defer(msg: TaskMsg, delayMs: number): void {
    metrics.deferred.inc();
    msg.nak(delayMs);
  }

  /** A task whose endpoint has no free slot: waits here or is put back. */
  function waitOrDefer(task: DeliveryTask, msg: TaskMsg): void {
    if (stopping) {
      // Shutting down: another worker takes it now.
      msg.nak(SHUTDOWN_NAK_DELAY_MS);
      return;
    }
    const admission = lanes.enqueue(task.endpointId, {
      msg,
      start(slot) {
        updateWaiting();
        const run = runWaited(task, msg, slot).catch((err: unknown) =>
          log.error({ err, deliveryId: task.deliveryId }, "waiting task failed"),
        );
        detached.add(run);
        void run.finally(() => detached.delete(run));
      },
      expire(delayMs) {
        updateWaiting();
        defer(msg, delayMs);
      },
    });
    if (admission.kind === "defer") defer(msg, admission.delayMs);
    updateWaiting();
  }

  async function handle(task: DeliveryTask, msg: TaskMsg): Promise<void> {
    // A busy endpoint's tasks are queued or put back without reading its config from KV:
    // a slow endpoint's excess cycles through every second or so, and each read would be wasted.
    if (lanes.isBusy(task.endpointId)) return waitOrDefer(task, msg);
    const endpoint = await readEndpoint(queue.endpoints, task.endpointId);
    if (endpoint.kind !== "found" || !endpoint.config.enabled) {
      return deliver(task, msg, endpoint, null);
    }
    const slot = lanes.tryAcquire(
      task.endpointId,
      endpoint.config.maxConcurrency,
      rateShare(endpoint.config),
    );
    if (!slot) return waitOrDefer(task, msg);
    return deliver(task, msg, endpoint, slot);
  }

  /**
   * A waited task's turn, with its slot already held. Its config is read now (it may have
   * changed while the task waited). Ends in report + ack or a nak, never a rejection
   * left unhandled.
   */
  async function runWaited(task: DeliveryTask, msg: TaskMsg, slot: Slot): Promise<void> {
    try {
      const endpoint = await readEndpoint(queue.endpoints, task.endpointId);
      if (endpoint.kind === "found") {
        const { config: current } = endpoint;
        lanes.setCap(task.endpointId, current.maxConcurrency, rateShare(current));
      }
      const sends = endpoint.kind === "found" && endpoint.config.enabled;
      if (!sends) slot.release();
      await deliver(task, msg, endpoint, sends ? slot : null);
    } catch (err) {
      slot.release();
      log.error({ err, deliveryId: task.deliveryId }, "waiting task failed; will retry");
      msg.nak(REPORT_FAILED_RETRY_MS);
    }
  }

  /** Attempts (with a slot) or refuses (without one), then reports and acks. */
  async function deliver(
    task: DeliveryTask,
    msg: TaskMsg,
    endpoint: EndpointLookup,
    slot: Slot | null,
  ): Promise<void> {
    if (slot) metrics.inFlight.inc();
    const startedAt = new Date(clock.now()).toISOString();
    const started = performance.now();
    const result = await attemptDelivery({
      task,
      endpoint,
      dispatcher,
      timeoutMs: config.timeoutMs,
      now: () => clock.now(),
    }).finally(() => {
      if (!slot) return;
      slot.release(performance.now() - started);
      metrics.inFlight.dec();
    });
    const report: AttemptReport = {
      attemptId: newId("attempt"),
      deliveryId: task.deliveryId,
      endpointId: task.endpointId,
      eventId: task.eventId,
      attemptNumber: task.attemptNumber,
      trigger: task.trigger,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      ...result,
    };
    const fields = {
      deliveryId: task.deliveryId,
      endpointId: task.endpointId,
      eventId: task.eventId,
      attemptNumber: task.attemptNumber,
      trigger: task.trigger,
      outcome: report.outcome,
      statusCode: report.statusCode,
      errorClass: report.errorClass,
      error: report.error,
      durationMs: report.durationMs,
    };

    // Report, then ack. A lost report means the task comes back and is sent again (the
    // receiver dedupes on webhook-id), so the insurer never misses an attempt.
    try {
      await publishAttemptReport(queue.js, report);
    } catch (err) {
      metrics.reportFailures.inc();
      log.error({ ...fields, err }, "attempt report not published; task will be attempted again");
      msg.nak(REPORT_FAILED_RETRY_MS);
      return;
    }
    msg.ack();
    metrics.recordAttempt(report, task, { sent: slot !== null });
    log.info(fields, "attempt");
  }

  /** Hands every waiting task back to JetStream at once (no delay), for another worker. */
  function stop(): void {
    stopping = true;
    const waiting = lanes.drain();
    updateWaiting();
    // The naks go out once every abort listener has run, consumeMessages' included: its
    // listener stops our pull subscription, and a nak sent before that would have
    // JetStream hand the task straight back to it, to sit unseen until ack_wait.
    // A 1 ms delay rather than none: on nats-server 2.9.10, immediate naks of several
    // messages while no pull request was waiting held one of them back until ack_wait
    // and delivered another twice (test/endpoint-concurrency.test.ts, "shutdown").
    queueMicrotask(() => {
      for (const waiter of waiting) waiter.msg.nak(SHUTDOWN_NAK_DELAY_MS);
      if (waiting.length > 0) log.info({ tasks: waiting.length }, "put back the waiting tasks");
    });
  }

  return {
    async run(signal) {
      if (signal.aborted) stop();
      else signal.addEventListener("abort", stop, { once: true });
      try {
        await consumeMessages({
          js: queue.js,
          stream: STREAMS.deliveries,
          consumer: CONSUMERS.deliveryWorkers,
          schema: DeliveryTaskSchema,
          handle,
          concurrency: config.concurrency,
          signal,
          onError: (err, context) => log.error({ err }, context),
          ...(config.stallAfterMs
            ? { stallGuard: { afterMs: config.stallAfterMs, recreate: true } }
            : {}),
        });
      } finally {
        signal.removeEventListener("abort", stop);
      }
      while (detached.size > 0) await Promise.allSettled([...detached]);
    },
  };
}
