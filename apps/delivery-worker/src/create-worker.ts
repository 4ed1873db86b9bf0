import { newId } from "@claimwire/contracts";
import {
  type AttemptReport,
  CONSUMERS,
  type ConsumeOptions,
  consumeMessages,
  type DeliveryTask,
  DeliveryTaskSchema,
  publishAttemptReport,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { attemptDelivery } from "./attempt-delivery.ts";
import { createEndpointLimiter, deferDelayMs } from "./endpoint-limiter.ts";
import { readEndpoint } from "./read-endpoint.ts";
import { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics.ts";

export type Clock = { now(): number };

/** The JetStream message of a task (typed through @claimwire/queue, which owns nats.js). */
type TaskMsg = Parameters<ConsumeOptions<typeof DeliveryTaskSchema>["handle"]>[1];

/** When the report cannot be published, the task comes back after this long. */
const REPORT_FAILED_RETRY_MS = 1_000;

export type WorkerConfig = {
  workerId: string;
  /** One deadline per request: connect + response headers + response body. */
  timeoutMs: number;
  /** Tasks handled at once by this process. */
  concurrency: number;
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
  /** Consumes delivery tasks until `signal` aborts, then waits for the ones in flight. */
  run(signal: AbortSignal): Promise<void>;
};

/**
 * A stateless delivery worker. For each task it reads the endpoint's config from KV; if
 * the endpoint already has `maxConcurrency` requests in flight here, it puts the task
 * back (nak, 200–500 ms) without attempting or reporting, so a slow endpoint holds no
 * worker slot. Otherwise it signs at send time, POSTs, publishes one AttemptReport and
 * acks, whatever the outcome: the insurer alone decides retries. Only when the report
 * cannot be published is the task nak'ed, to be attempted again.
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
  const limiter = createEndpointLimiter();

  /** Puts a task back for later, without an attempt or a report. */
  function defer(msg: TaskMsg): void {
    metrics.deferred.inc();
    msg.nak(deferDelayMs(random));
  }

  async function handle(task: DeliveryTask, msg: TaskMsg): Promise<void> {
    if (limiter.isFull(task.endpointId)) return defer(msg);
    const endpoint = await readEndpoint(queue.endpoints, task.endpointId);
    const sends = endpoint.kind === "found" && endpoint.config.enabled;
    let release: (() => void) | null = null;
    if (sends) {
      release = limiter.tryAcquire(task.endpointId, endpoint.config.maxConcurrency);
      if (!release) return defer(msg);
      metrics.inFlight.inc();
    }

    const startedAt = new Date(clock.now()).toISOString();
    const started = performance.now();
    const result = await attemptDelivery({
      task,
      endpoint,
      dispatcher,
      timeoutMs: config.timeoutMs,
      now: () => clock.now(),
    }).finally(() => {
      release?.();
      if (sends) metrics.inFlight.dec();
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
    metrics.recordAttempt(report, task, { sent: sends });
    log.info(fields, "attempt");
  }

  return {
    run: (signal) =>
      consumeMessages({
        js: queue.js,
        stream: STREAMS.deliveries,
        consumer: CONSUMERS.deliveryWorkers,
        schema: DeliveryTaskSchema,
        handle,
        concurrency: config.concurrency,
        signal,
        onError: (err, context) => log.error({ err }, context),
      }),
  };
}
