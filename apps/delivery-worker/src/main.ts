import { openQueue } from "@claimwire/queue";
import { pino } from "pino";
import { createWorker } from "./create-worker.ts";
import { createDeliveryDispatcher } from "./delivery-dispatcher.ts";
import { loadEnv } from "./env.ts";
import { type MetricsServer, startMetricsServer } from "./metrics-server.ts";
import { createWorkerMetrics } from "./worker-metrics.ts";

const env = loadEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: "delivery-worker" } });

const queue = await openQueue({
  servers: env.NATS_URL,
  name: `delivery-worker ${env.WORKER_ID}`,
  topology: { deliveryAckWaitMs: env.DELIVERY_ACK_WAIT_MS, replicas: env.NATS_REPLICAS },
});
// One keep-alive connection pool per origin, shared by every delivery of this process,
// with the SSRF guard on every address it dials.
const dispatcher = createDeliveryDispatcher({
  allowPrivateNetworks: env.DELIVERY_ALLOW_PRIVATE_NETWORKS,
  connectTimeoutMs: env.DELIVERY_TIMEOUT_MS,
});
if (env.DELIVERY_ALLOW_PRIVATE_NETWORKS.length > 0) {
  logger.warn(
    { allowed: env.DELIVERY_ALLOW_PRIVATE_NETWORKS },
    "SSRF guard: deliveries to these private ranges are allowed",
  );
}
const metrics = createWorkerMetrics({ processMetrics: true });
const metricsServer: MetricsServer | undefined =
  env.WORKER_METRICS_PORT > 0
    ? await startMetricsServer({
        registry: metrics.registry,
        host: env.WORKER_METRICS_HOST,
        port: env.WORKER_METRICS_PORT,
      })
    : undefined;
const worker = createWorker({
  queue,
  dispatcher,
  clock: { now: () => Date.now() },
  config: {
    workerId: env.WORKER_ID,
    timeoutMs: env.DELIVERY_TIMEOUT_MS,
    concurrency: env.DELIVERY_CONCURRENCY,
    stallAfterMs: env.DELIVERY_STALL_AFTER_MS,
  },
  logger,
  metrics,
});

const controller = new AbortController();
const running = worker.run(controller.signal);
logger.info(
  {
    workerId: env.WORKER_ID,
    nats: env.NATS_URL,
    concurrency: env.DELIVERY_CONCURRENCY,
    metricsUrl: metricsServer?.url,
  },
  "ready",
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping: finishing deliveries in flight");
  controller.abort();
  await running;
  await queue.close();
  await dispatcher.close();
  await metricsServer?.close();
  logger.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
