import { newId } from "@claimwire/contracts";
import {
  type AttemptReport,
  CONSUMERS,
  type ConsumeOptions,
  consumeMessages,
  type DeliveryTask,
  DeliveryTaskSchema,
  type EndpointConfig,
  EndpointConfigSchema,
  publishAttemptReport,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { buildWebhookHeaders } from "@claimwire/webhooks";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { type DeliveryResult, failure } from "./classify-outcome.ts";
import { retryDelayMs } from "./retry-delay.ts";
import { sendWebhook } from "./send-webhook.ts";

export type Clock = { now(): number };

/** The JetStream message of a task (typed through @claimwire/queue, which owns nats.js). */
type TaskMsg = Parameters<ConsumeOptions<typeof DeliveryTaskSchema>["handle"]>[1];

export type WorkerConfig = {
  workerId: string;
  timeoutMs: number;
  concurrency: number;
  retryDelaysMs: readonly number[];
};

export type WorkerDeps = {
  queue: Pick<Queue, "js" | "endpoints">;
  /** A shared keep-alive undici Agent (or Pool) for every POST. */
  dispatcher: Dispatcher;
  /** Wall-clock milliseconds: webhook timestamps, startedAt, nextAttemptAt. */
  clock: Clock;
  config: WorkerConfig;
  logger: Logger;
};

export type Worker = {
  /** Consumes delivery tasks until `signal` aborts, then waits for the ones in flight. */
  run(signal: AbortSignal): Promise<void>;
};

/**
 * A delivery worker: for each task it reads the endpoint's config from the endpoints KV
 * bucket, signs at send time, POSTs, reports the attempt on ATTEMPTS, and only then acks
 * (delivered, or the endpoint is gone/disabled) or naks with the backoff delay.
 *
 * @example
 * const worker = createWorker({ queue, dispatcher, clock: { now: Date.now }, config, logger });
 * await worker.run(controller.signal);
 */
export function createWorker({ queue, dispatcher, clock, config, logger }: WorkerDeps): Worker {
  const log = logger.child({ workerId: config.workerId });

  /** One attempt, and whether the task is finished (ack) or must be retried (nak). */
  async function attempt(task: DeliveryTask): Promise<{ result: DeliveryResult; done: boolean }> {
    const endpoint = await readEndpoint(task.endpointId);
    if (endpoint === "deleted") return { result: failure("endpoint_deleted"), done: true };
    if (endpoint === "invalid") return { result: failure("endpoint_config_invalid"), done: false };
    if (!endpoint.enabled) return { result: failure("endpoint_disabled"), done: true };

    let webhookHeaders: ReturnType<typeof buildWebhookHeaders>;
    try {
      webhookHeaders = buildWebhookHeaders({
        secrets: endpoint.secrets,
        msgId: task.eventId,
        timestamp: Math.floor(clock.now() / 1000),
        body: task.body,
      });
    } catch {
      // The message of a bad secret never contains the secret, but it is no use here either.
      return { result: failure("endpoint_secret_invalid"), done: false };
    }
    const result = await sendWebhook({
      dispatcher,
      url: endpoint.url,
      webhookHeaders,
      body: task.body,
      timeoutMs: config.timeoutMs,
    });
    return { result, done: result.outcome === "delivered" };
  }

  async function readEndpoint(endpointId: string): Promise<EndpointConfig | "deleted" | "invalid"> {
    const entry = await queue.endpoints.get(endpointId);
    if (entry?.operation !== "PUT") return "deleted";
    try {
      return EndpointConfigSchema.parse(entry.json());
    } catch {
      return "invalid";
    }
  }

  async function handle(task: DeliveryTask, msg: TaskMsg): Promise<void> {
    const attemptNumber = msg.info.deliveryCount;
    const startedAt = new Date(clock.now()).toISOString();
    const started = performance.now();
    const { result, done } = await attempt(task);
    const durationMs = Math.round(performance.now() - started);
    const delayMs = retryDelayMs(attemptNumber, config.retryDelaysMs);

    const report: AttemptReport = {
      attemptId: newId("attempt"),
      deliveryId: task.deliveryId,
      endpointId: task.endpointId,
      eventId: task.eventId,
      attemptNumber,
      startedAt,
      durationMs,
      ...result,
      nextAttemptAt: done ? null : new Date(clock.now() + delayMs).toISOString(),
    };
    const fields = {
      deliveryId: task.deliveryId,
      endpointId: task.endpointId,
      attemptNumber,
      outcome: result.outcome,
      statusCode: result.statusCode,
      error: result.error,
      durationMs,
    };

    // Report before ack: if the report is lost, the task comes back and is sent again
    // (the receiver dedupes on webhook-id), so the insurer never misses a delivered attempt.
    try {
      await publishAttemptReport(queue.js, report);
    } catch (err) {
      log.error({ ...fields, err }, "attempt report not published; task will be retried");
      msg.nak(delayMs);
      return;
    }
    if (done) msg.ack();
    else msg.nak(delayMs);
    log.info({ ...fields, nextAttemptAt: report.nextAttemptAt }, "attempt");
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
