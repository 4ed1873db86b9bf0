import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import {
  type AttemptReport,
  AttemptReportSchema,
  CONSUMERS,
  type DeliveryTask,
  type EndpointConfig,
  openQueue,
  publishDeliveryTask,
  putEndpointConfig,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { waitFor } from "@claimwire/testing";
import { generateSecret } from "@claimwire/webhooks";
import { pino } from "pino";
import type { Agent } from "undici";
import { createWorker } from "../src/create-worker.ts";
import { createDeliveryDispatcher } from "../src/delivery-dispatcher.ts";
import { createWorkerMetrics, type WorkerMetrics } from "../src/worker-metrics.ts";
import { startHttpServer, type TestHttpServer } from "./http-server.ts";

export const clinicId = WEBHOOK_EVENT_EXAMPLES["claim.approved"].data.clinicId;
export const body = JSON.stringify(WEBHOOK_EVENT_EXAMPLES["claim.approved"]);
/** Loopback, which dev and tests allow through the SSRF guard. */
export const LOOPBACK = ["127.0.0.0/8", "::1/128"];

/** One worker process's worth of worker, in-process. */
export type RunningWorker = {
  metrics: WorkerMetrics;
  /** Whether it pulls from the delivery consumer now. */
  consuming(): boolean;
  /** Aborts it; resolves when it has put back its waiting tasks and finished its requests. */
  stop(): Promise<void>;
};

export type WorkerHarness = {
  nats: TestNatsServer;
  queue: Queue;
  /** The worker started with the harness. */
  worker: RunningWorker;
  /** The first worker's metrics. */
  metrics: WorkerMetrics;
  /** Starts another worker on the same queue, e.g. to take over from a stopped one. */
  startWorker(): RunningWorker;
  /** Every report the worker published, in arrival order (stands in for the insurer). */
  reports: AttemptReport[];
  clock: { now(): number; offsetMs: number };
  /** A real HTTP receiver on loopback, closed with the harness. */
  receiver(respond: Parameters<typeof startHttpServer>[0]): Promise<TestHttpServer>;
  /** Puts an endpoint config into KV, with a fresh HMAC secret unless overridden. */
  endpoint(url: string, overrides?: Partial<EndpointConfig>): Promise<EndpointConfig>;
  /** Publishes attempt 1 of a new delivery, as fan-out does. */
  publishTask(endpointId: string, overrides?: Partial<DeliveryTask>): Promise<DeliveryTask>;
  reportsFor(task: Pick<DeliveryTask, "deliveryId">): AttemptReport[];
  /** Waits for `count` reports of this delivery and returns them. */
  waitForReports(task: Pick<DeliveryTask, "deliveryId">, count?: number): Promise<AttemptReport[]>;
  /** Acked tasks leave the work-queue stream. */
  waitUntilAllTasksAcked(): Promise<void>;
  close(): Promise<void>;
};

/**
 * One worker against a private nats-server, as in production but in-process: the real
 * guarded dispatcher, real JetStream, real HTTP receivers on loopback.
 */
export async function startWorkerHarness({
  allowPrivateNetworks = LOOPBACK,
  concurrency = 8,
  timeoutMs = 5_000,
}: {
  allowPrivateNetworks?: string[];
  concurrency?: number;
  timeoutMs?: number;
} = {}): Promise<WorkerHarness> {
  const nats = await startNatsServer();
  const queue = await openQueue({ servers: nats.url, name: "delivery-worker-test" });
  const dispatcher: Agent = createDeliveryDispatcher({
    allowPrivateNetworks,
    connectTimeoutMs: timeoutMs,
    keepAliveTimeoutMs: 1_000,
  });
  const clock = {
    offsetMs: 0,
    now() {
      return Date.now() + this.offsetMs;
    },
  };
  const workers: RunningWorker[] = [];
  const startWorker = (): RunningWorker => {
    const metrics = createWorkerMetrics();
    const controller = new AbortController();
    const created = createWorker({
      queue,
      dispatcher,
      clock,
      config: {
        workerId: `test-worker-${workers.length + 1}`,
        timeoutMs,
        concurrency,
      },
      logger: pino({ level: "silent" }),
      metrics,
    });
    const done = created.run(controller.signal);
    const worker = {
      metrics,
      consuming: () => created.consuming(),
      stop() {
        controller.abort();
        return done;
      },
    };
    workers.push(worker);
    return worker;
  };
  const worker = startWorker();

  // Stand in for the insurer's attempt recorder: collect every report on ATTEMPTS.
  const reports: AttemptReport[] = [];
  const consumer = await queue.js.consumers.get(STREAMS.attempts, CONSUMERS.attemptRecorder);
  const messages = await consumer.consume();
  const collecting = (async () => {
    for await (const msg of messages) {
      reports.push(AttemptReportSchema.parse(msg.json()));
      msg.ack();
    }
  })();

  const receivers: TestHttpServer[] = [];
  const reportsFor = (task: Pick<DeliveryTask, "deliveryId">) =>
    reports.filter((r) => r.deliveryId === task.deliveryId);

  return {
    nats,
    queue,
    worker,
    metrics: worker.metrics,
    startWorker,
    reports,
    clock,
    async receiver(respond) {
      const server = await startHttpServer(respond);
      receivers.push(server);
      return server;
    },
    async endpoint(url, overrides = {}) {
      const config: EndpointConfig = {
        id: newId("endpoint"),
        clinicId,
        url,
        enabled: true,
        secrets: [generateSecret()],
        retiringSecrets: [],
        headers: {},
        ...overrides,
      };
      await putEndpointConfig(queue.endpoints, config);
      return config;
    },
    async publishTask(endpointId, overrides = {}) {
      const task: DeliveryTask = {
        deliveryId: newId("delivery"),
        eventId: newId("event"),
        endpointId,
        clinicId,
        eventType: "claim.approved",
        attemptNumber: 1,
        trigger: "scheduled",
        body,
        committedAt: new Date().toISOString(),
        ...overrides,
      };
      await publishDeliveryTask(queue.js, task);
      return task;
    },
    reportsFor,
    waitForReports: (task, count = 1) =>
      waitFor(
        `${count} report(s) for ${task.deliveryId}`,
        () => reportsFor(task).length >= count && reportsFor(task),
      ),
    waitUntilAllTasksAcked: async () => {
      await waitFor(
        "the DELIVERIES stream to be empty",
        async () => (await queue.jsm.streams.info(STREAMS.deliveries)).state.messages === 0,
      );
    },
    async close() {
      messages.stop();
      await Promise.all(workers.map((w) => w.stop()));
      await collecting.catch(() => {});
      await queue.close();
      await dispatcher.close();
      await Promise.all(receivers.map((r) => r.close()));
      await nats.stop();
    },
  };
}
