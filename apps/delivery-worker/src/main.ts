import { openQueue, watchConnectionState } from "@claimwire/queue";
import { exitAfterDrainOnSignal } from "@claimwire/service";
import { startTracing, traceLogFields } from "@claimwire/telemetry";
import { pino } from "pino";
import { createWorker } from "./create-worker.ts";
import { createDeliveryDispatcher } from "./delivery-dispatcher.ts";
import { loadEnv } from "./env.ts";
import { type MetricsServer, startMetricsServer } from "./metrics-server.ts";
import { createWorkerMetrics } from "./worker-metrics.ts";
import { workerReadiness } from "./worker-readiness.ts";

const env = loadEnv();
// Off unless the OTEL_* variables ask for it (docs/tracing.md).
const tracing = startTracing({ serviceName: "delivery-worker" });
const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: "delivery-worker" },
  mixin: traceLogFields,
});

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
const controller = new AbortController();
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

const running = worker.run(controller.signal);
const metricsServer: MetricsServer | undefined =
  env.WORKER_METRICS_PORT > 0
    ? await startMetricsServer({
        registry: metrics.registry,
        host: env.WORKER_METRICS_HOST,
        port: env.WORKER_METRICS_PORT,
        readiness: workerReadiness({
          connection: watchConnectionState(queue.nc),
          consuming: () => worker.consuming(),
          draining: () => controller.signal.aborted,
        }),
      })
    : undefined;
logger.info(
  {
    workerId: env.WORKER_ID,
    nats: env.NATS_URL,
    concurrency: env.DELIVERY_CONCURRENCY,
    metricsUrl: metricsServer?.url,
  },
  "ready",
);

// SIGTERM: stop pulling (/readyz turns 503), let the requests in flight finish and report,
// then exit 0. Past SHUTDOWN_TIMEOUT_MS the process exits anyway; the tasks it had not
// acked come back to another worker after the consumer's ack_wait (docs/deploy.md).
exitAfterDrainOnSignal({
  timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  log: logger,
  drain: async () => {
    controller.abort();
    await running;
    await queue.close();
    await dispatcher.close();
    await metricsServer?.close();
    await tracing.shutdown();
  },
});
