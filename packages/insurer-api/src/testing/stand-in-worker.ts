import { newId } from "@claimwire/ids";
import {
  type AttemptReport,
  CONSUMERS,
  consumeMessages,
  type DeliveryTask,
  DeliveryTaskSchema,
  type EndpointConfig,
  EndpointConfigSchema,
  publishAttemptReport,
  type Queue,
  STREAMS,
} from "@claimwire/queue";

/** What the stand-in "endpoint" answers to a task: the report fields that differ from a 204. */
export type Answer = Partial<
  Pick<
    AttemptReport,
    | "outcome"
    | "statusCode"
    | "errorClass"
    | "error"
    | "retryAfterMs"
    | "responseHeaders"
    | "responseBody"
  >
>;

export const answers = {
  ok: (): Answer => ({}),
  status: (statusCode: number, extra: Answer = {}): Answer => ({
    outcome: "failed",
    statusCode,
    errorClass: "http_status",
    error: `HTTP ${statusCode}`,
    ...extra,
  }),
  refused: (): Answer => ({
    outcome: "failed",
    statusCode: null,
    errorClass: "connection_refused",
    error: "connect ECONNREFUSED 127.0.0.1:9",
  }),
};

export type StandInWorker = {
  /** Every task taken, in order. */
  tasks: DeliveryTask[];
  stop(): Promise<void>;
};

/**
 * A stand-in for the delivery worker (apps never import each other, and these tests are
 * about the insurer's side of the protocol): it takes tasks from the real DELIVERIES
 * consumer, reads the endpoint's config from the real KV bucket, "sends" by asking
 * `answer`, publishes one AttemptReport and acks the task whatever the outcome, as the
 * protocol in packages/queue/src/messages.ts says.
 */
export function startStandInWorker(
  queue: Queue,
  answer: (task: DeliveryTask, config: EndpointConfig) => Answer | Promise<Answer>,
): StandInWorker {
  const abort = new AbortController();
  const tasks: DeliveryTask[] = [];
  const loop = consumeMessages({
    js: queue.js,
    stream: STREAMS.deliveries,
    consumer: CONSUMERS.deliveryWorkers,
    schema: DeliveryTaskSchema,
    concurrency: 32,
    signal: abort.signal,
    handle: async (task, msg) => {
      tasks.push(task);
      const entry = await queue.endpoints.get(task.endpointId);
      const config =
        entry?.operation === "PUT" ? EndpointConfigSchema.safeParse(entry.json()) : null;
      const startedAt = new Date().toISOString();
      const answered: Answer = !config
        ? {
            outcome: "failed",
            statusCode: null,
            errorClass: "endpoint_deleted",
            error: "no config",
          }
        : !config.success
          ? {
              outcome: "failed",
              statusCode: null,
              errorClass: "endpoint_config_invalid",
              error: "bad",
            }
          : !config.data.enabled
            ? {
                outcome: "failed",
                statusCode: null,
                errorClass: "endpoint_disabled",
                error: "disabled",
              }
            : await answer(task, config.data);
      await publishAttemptReport(queue.js, {
        attemptId: newId("attempt"),
        deliveryId: task.deliveryId,
        endpointId: task.endpointId,
        eventId: task.eventId,
        attemptNumber: task.attemptNumber,
        trigger: task.trigger,
        startedAt,
        durationMs: 1.5,
        outcome: "delivered",
        statusCode: 204,
        errorClass: null,
        error: null,
        retryAfterMs: null,
        responseHeaders: {},
        responseBody: null,
        ...answered,
      });
      msg.ack();
    },
  });
  return {
    tasks,
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
