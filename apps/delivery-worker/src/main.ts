import { openQueue } from "@claimwire/queue";
import { pino } from "pino";
import { Agent } from "undici";
import { createWorker } from "./create-worker.ts";
import { loadEnv } from "./env.ts";

const env = loadEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: "delivery-worker" } });

const queue = await openQueue({ url: env.NATS_URL, name: `delivery-worker ${env.WORKER_ID}` });
// One keep-alive connection pool per origin, shared by every delivery of this process.
const dispatcher = new Agent({
  keepAliveTimeout: 30_000,
  connectTimeout: env.DELIVERY_TIMEOUT_MS,
});
const worker = createWorker({
  queue,
  dispatcher,
  clock: { now: () => Date.now() },
  config: {
    workerId: env.WORKER_ID,
    timeoutMs: env.DELIVERY_TIMEOUT_MS,
    concurrency: env.DELIVERY_CONCURRENCY,
    retryDelaysMs: env.DELIVERY_RETRY_DELAYS_MS,
  },
  logger,
});

const controller = new AbortController();
const running = worker.run(controller.signal);
logger.info(
  { workerId: env.WORKER_ID, nats: env.NATS_URL, concurrency: env.DELIVERY_CONCURRENCY },
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
  logger.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
