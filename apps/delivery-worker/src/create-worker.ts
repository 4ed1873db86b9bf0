import { newId } from "@claimwire/ids";
import {
  type AttemptReport,
  CONSUMERS,
  type ConsumeOptions,
  consumeMessages,
  type DeliveryTask,
  DeliveryTaskSchema,
  deliveryTaskSpanAttributes,
  publishAttemptReport,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { contextFromHeaders, inSpan, SpanKind, traceHeaders } from "@claimwire/telemetry";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { attemptDelivery } from "./attempt-delivery.ts";
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
};

export type Worker = {
  /** Consumes delivery tasks until `signal` aborts; then waits for the requests in flight. */
  run(signal: AbortSignal): Promise<void>;
  /** Whether it pulls from the delivery consumer now (false before `run`, once aborted, and while a failed pull is retried). */
  consuming(): boolean;
};

/**
 * A stateless delivery worker. For each task it reads the endpoint's config from KV,
 * signs at send time, POSTs, publishes one AttemptReport and acks, whatever the outcome:
 * the insurer alone decides retries. Only when the report cannot be published is the
 * task nak'ed, to be attempted again.
 *
 * Every task it receives can be sent now: the insurer's dispatcher releases an
 * endpoint's tasks only while it has room in its in-flight window and its rate limit
 * (docs/decisions/0001-one-path-to-the-queue.md), so workers hold no per-endpoint state
 * and any number of them share the stream with nothing to set by hand.
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
}: WorkerDeps): Worker {
  const log = logger.child({ workerId: config.workerId });

  /**
   * In a consumer span of the trace the dispatcher's message carries, so the POST (with its
   * traceparent) and the report belong to the status change that caused them.
   */
  function handle(task: DeliveryTask, msg: TaskMsg): Promise<void> {
    return inSpan(
      `process ${STREAMS.deliveries}`,
      {
        kind: SpanKind.CONSUMER,
        parent: contextFromHeaders((name) => msg.headers?.get(name)),
        attributes: deliveryTaskSpanAttributes(task),
      },
      () => attemptAndReport(task, msg),
    );
  }

  /** Attempts (when the endpoint is there and enabled) or refuses, then reports and acks. */
  async function attemptAndReport(task: DeliveryTask, msg: TaskMsg): Promise<void> {
    const endpoint = await readEndpoint(queue.endpoints, task.endpointId);
    const sends = endpoint.kind === "found" && endpoint.config.enabled;
    if (sends) metrics.inFlight.inc();
    const startedAt = new Date(clock.now()).toISOString();
    const started = performance.now();
    const result = await attemptDelivery({
      task,
      endpoint,
      dispatcher,
      timeoutMs: config.timeoutMs,
      now: () => clock.now(),
    }).finally(() => {
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
      await publishAttemptReport(queue.js, report, traceHeaders());
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

  let bound = false;
  return {
    consuming: () => bound,
    async run(signal) {
      signal.addEventListener("abort", () => {
        bound = false;
      });
      await consumeMessages({
        onBound: (on) => {
          bound = on && !signal.aborted;
        },
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
    },
  };
}
