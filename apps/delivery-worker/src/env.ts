import { hostname } from "node:os";
import { DEFAULT_DELIVERY_ACK_WAIT_MS } from "@claimwire/queue";
import { type EnvSource, parseEnv } from "@claimwire/service";
import { z } from "zod";
import { LOCAL_WAIT_LIMIT_FACTOR } from "./endpoint-lanes.ts";
import { parseCidr } from "./ip-address.ts";

const positiveInt = z.coerce.number().int().positive();

/** Time kept back from the ack wait for publishing the attempt's report (a quarter of a short one). */
const REPORT_MARGIN_MS = 5_000;

const EnvSchema = z
  .object({
    NATS_URL: z.string().min(1).default("nats://127.0.0.1:14222"),
    /**
     * One budget for connect + response headers + response body. Capped well below the
     * delivery consumer's 60 s ack_wait, or a slow request's task would be handed to a
     * second worker while the first is still waiting for the answer.
     */
    DELIVERY_TIMEOUT_MS: positiveInt.max(50_000).default(15_000),
    /** Tasks handled at once by this process. */
    DELIVERY_CONCURRENCY: positiveInt.default(64),
    /**
     * How long a task for an endpoint at its maxConcurrency may be expected to wait in this
     * process for a slot (estimated from the endpoint's recent request durations) before it
     * is put back on JetStream instead; a task that has waited twice this long is put back
     * whatever the estimate said. 1 s because:
     * - a burst to a fast endpoint (a few ms per request) drains in well under it, so it is
     *   sent back to back instead of cycling through nak(200–500 ms) redeliveries;
     * - a slow endpoint's excess (seconds per request) exceeds it at once and leaves the
     *   process, free for another worker whose cap for that endpoint is not reached;
     * - waiting tasks are unacked JetStream messages: they count against the consumer's
     *   max_ack_pending (as nak'ed ones do) and its 60 s ack_wait; a 2 s worst case keeps
     *   them at about a second of the endpoint's throughput and far inside ack_wait.
     * 0 turns local waiting off (every task of a busy endpoint is put back).
     */
    DELIVERY_MAX_LOCAL_WAIT_MS: z.coerce.number().int().min(0).max(5_000).default(1_000),
    /**
     * Comma-separated CIDRs the SSRF guard lets through despite being private, e.g.
     * "127.0.0.0/8,::1/128" for dev and tests. Empty by default: an explicit opt-in.
     */
    DELIVERY_ALLOW_PRIVATE_NETWORKS: z
      .string()
      .default("")
      .transform((list) =>
        list
          .split(",")
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .superRefine((entries, ctx) => {
        for (const entry of entries) {
          try {
            parseCidr(entry);
          } catch (err) {
            ctx.addIssue({ code: "custom", message: (err as Error).message });
          }
        }
      }),
    /**
     * How many delivery workers run against this NATS. An endpoint's rate limit is
     * enforced by each worker on its own, so each takes 1/DELIVERY_WORKER_COUNT of it and
     * together they stay within it (a worker that gets fewer of the endpoint's tasks than
     * its share leaves the difference unused). Left at 1 with N workers, the endpoint may
     * see up to N times its limit.
     */
    DELIVERY_WORKER_COUNT: positiveInt.max(1_000).default(1),
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
    /** Port of GET /metrics; 0 turns the endpoint off. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
    WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
    WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
  })
  // A task's local wait, its request and its report must all fit in the ack wait, or
  // JetStream hands the task to a second worker while this one still holds it.
  .superRefine((env, ctx) => {
    const ackWaitMs = env.DELIVERY_ACK_WAIT_MS;
    const budgetMs = ackWaitMs - Math.min(REPORT_MARGIN_MS, ackWaitMs / 4);
    if (
      LOCAL_WAIT_LIMIT_FACTOR * env.DELIVERY_MAX_LOCAL_WAIT_MS + env.DELIVERY_TIMEOUT_MS >
      budgetMs
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["DELIVERY_MAX_LOCAL_WAIT_MS"],
        message: `${LOCAL_WAIT_LIMIT_FACTOR} × DELIVERY_MAX_LOCAL_WAIT_MS + DELIVERY_TIMEOUT_MS must not exceed ${budgetMs} ms (DELIVERY_ACK_WAIT_MS less time for the report)`,
      });
    }
  });
export type Env = z.infer<typeof EnvSchema>;

/** Reads and validates the environment; throws naming each bad variable. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(EnvSchema, source, "delivery-worker");
}
