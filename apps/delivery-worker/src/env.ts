import { hostname } from "node:os";
import { DEFAULT_DELIVERY_ACK_WAIT_MS, natsEnvSchema } from "@claimwire/queue";
import { cidrListSetting, type EnvSource, parseEnv, shutdownEnvSchema } from "@claimwire/service";
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

/** Time kept back from the ack wait for publishing the attempt's report (a quarter of a short one). */
const REPORT_MARGIN_MS = 5_000;

const EnvSchema = z
  .object({
    ...natsEnvSchema,
    /**
     * One budget for connect + response headers + response body. Capped well below the
     * delivery consumer's 60 s ack_wait, or a slow request's task would be handed to a
     * second worker while the first is still waiting for the answer.
     */
    DELIVERY_TIMEOUT_MS: positiveInt.max(50_000).default(15_000),
    /** Tasks handled at once by this process: above an endpoint's window (64), so one slow endpoint cannot fill it. */
    DELIVERY_CONCURRENCY: positiveInt.default(256),
    /**
     * Comma-separated CIDRs the SSRF guard lets through despite being private, e.g.
     * "127.0.0.0/8,::1/128" for dev and tests. Empty by default: an explicit opt-in.
     */
    DELIVERY_ALLOW_PRIVATE_NETWORKS: cidrListSetting(),
    /**
     * How long the delivery consumer may hand out nothing while it has undelivered tasks,
     * pull requests waiting and room under max_ack_pending before this worker pulls
     * afresh; after as long again it deletes and re-creates the consumer (a stall
     * nats-server 2.9.10 can be left in after a kill -9, docs/delivery.md). A healthy
     * server never stays there beyond a round trip; 30 s also lets nats.js's own re-pull
     * (every ~15 s) act first. 0 turns the watch off.
     */
    DELIVERY_STALL_AFTER_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /**
     * The delivery consumer's ack_wait, applied to the topology by this process and the
     * insurer (give both the same value). Shortened only by fault-injection runs.
     */
    DELIVERY_ACK_WAIT_MS: z.coerce.number().int().min(1_000).default(DEFAULT_DELIVERY_ACK_WAIT_MS),
    /**
     * Port of GET /metrics and the probes (/healthz, /readyz); 0 turns them off. Off by
     * default, since workers sharing a host would fight over one port: set it wherever
     * probes or a scraper read the worker (docs/deploy.md).
     */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
    WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    ...shutdownEnvSchema,
  })
  // A task's request and its report must fit in the ack wait, or JetStream hands the task
  // to a second worker while this one still holds it.
  .superRefine((env, ctx) => {
    const ackWaitMs = env.DELIVERY_ACK_WAIT_MS;
    const budgetMs = ackWaitMs - Math.min(REPORT_MARGIN_MS, ackWaitMs / 4);
    if (env.DELIVERY_TIMEOUT_MS > budgetMs) {
      ctx.addIssue({
        code: "custom",
        path: ["DELIVERY_TIMEOUT_MS"],
        message: `DELIVERY_TIMEOUT_MS must not exceed ${budgetMs} ms (DELIVERY_ACK_WAIT_MS less time for the report)`,
      });
    }
  });
export type Env = z.infer<typeof EnvSchema>;

/** Reads and validates the environment; throws naming each bad variable. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(EnvSchema, source, "delivery-worker");
}
