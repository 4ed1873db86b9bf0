import { hostname } from "node:os";
import { z } from "zod";
import { parseCidr } from "./ip-address.ts";

const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
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
  /** Port of GET /metrics; 0 turns the endpoint off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(0),
  WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Env = z.infer<typeof EnvSchema>;

/** Reads and validates the environment; throws a ZodError naming each bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return EnvSchema.parse(source);
}
