import { hostname } from "node:os";
import { z } from "zod";
import { DEFAULT_RETRY_DELAYS_MS } from "./retry-delay.ts";

const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:14222"),
  /** One budget for connect + response headers + response body. */
  DELIVERY_TIMEOUT_MS: positiveInt.default(15_000),
  /** Messages handled at once by this process. */
  DELIVERY_CONCURRENCY: positiveInt.default(64),
  /** Comma-separated delays before attempt 2, 3, …; the last one repeats. */
  DELIVERY_RETRY_DELAYS_MS: z
    .string()
    .default(DEFAULT_RETRY_DELAYS_MS.join(","))
    .transform((list) => list.split(",").map((item) => Number(item.trim())))
    .pipe(z.array(z.number().int().nonnegative()).min(1)),
  WORKER_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Env = z.infer<typeof EnvSchema>;

/** Reads and validates the environment; throws a ZodError naming each bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return EnvSchema.parse(source);
}
