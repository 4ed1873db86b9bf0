import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from "@claimwire/insurer-domain";
import { DEFAULT_DELIVERY_ACK_WAIT_MS, natsEnvSchema } from "@claimwire/queue";
import {
  cidrListSetting,
  type EnvSource,
  parseEnv as parseServiceEnv,
  shutdownEnvSchema,
} from "@claimwire/service";
import { z } from "zod";

export const DEFAULT_STAFF_API_KEY = "cw_staff_dev_key_change_me";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const durationMs = (defaultMs: number) => z.coerce.number().int().min(0).default(defaultMs);

/** "0s,5s,5m,…" → delays in ms (delivery/retry-schedule.ts). */
const RetryScheduleSchema = z
  .string()
  .default(DEFAULT_RETRY_SCHEDULE)
  .transform((text, ctx) => {
    try {
      return parseRetrySchedule(text);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
      return z.NEVER;
    }
  });

/** Every setting of the insurer, with defaults that run on one machine without setup. */
export const EnvSchema = z.object({
  INSURER_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  INSURER_HOST: z.string().min(1).default("127.0.0.1"),
  /** The SQLite file, the embedded default (one insurer process per file); unused with DATABASE_URL. */
  INSURER_DB_PATH: z.string().min(1).default("./.data/insurer.sqlite"),
  /**
   * PostgreSQL instead of SQLite (`postgres://user:password@host:5432/db`): several insurer
   * processes may share one database (docs/deploy.md).
   */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgres:// or postgresql:// URL")
    .optional(),
  /** Connections each insurer process keeps open to PostgreSQL at most. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** The built insurer console served at /console/; by default the console package's dist/. */
  INSURER_CONSOLE_DIR: z.string().min(1).optional(),
  ...natsEnvSchema,
  INSURER_STAFF_API_KEY: z.string().min(16).default(DEFAULT_STAFF_API_KEY),
  SEED_DEMO_CLINIC: z.stringbool().default(false),
  DEMO_CLINIC_API_KEY: z.string().min(16).default("cw_clinic_demo_dev_key_change_me"),
  ADJUDICATION_SIMULATOR: z.stringbool().default(false),
  /**
   * Whose claims the simulator decides: `demo` (the clinic of DEMO_CLINIC_API_KEY), `all`,
   * or clinic ids separated by commas.
   */
  SIMULATOR_CLINICS: z
    .string()
    .default("demo")
    .transform((text, ctx) => {
      if (text === "demo" || text === "all") return text;
      const ids = text.split(",").map((id) => id.trim());
      const bad = ids.find((id) => !/^cln_[0-9A-Za-z]+$/.test(id));
      if (bad !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `'${bad}' is not a clinic id (cln_…); use demo, all, or clinic ids separated by commas`,
        });
        return z.NEVER;
      }
      return ids;
    }),
  /** Simulated seconds per real second: 86400 lets a simulated day pass each second. */
  SIMULATOR_TIME_SCALE: z.coerce.number().positive().default(86_400),
  /** Delivery attempts: immediately, then each delay after a failure (units ms, s, m, h, d). */
  DELIVERY_RETRY_SCHEDULE: RetryScheduleSchema,
  /** Each scheduled delay varies by ± this share of itself. */
  DELIVERY_RETRY_JITTER: z.coerce.number().min(0).max(1).default(0.2),
  /**
   * A delivery "sending" this long without a report, whose task is no longer on the
   * stream, is dispatched again as a new attempt. Longer than the dedup window and the
   * workers' ack wait, so a slow but live attempt is not doubled.
   */
  DELIVERY_STUCK_TIMEOUT_MS: durationMs(15 * MINUTE),
  /** How often the retry scheduler looks for due retries and stuck deliveries. */
  DELIVERY_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
  /** Deliveries dispatched per scheduler round at most (oldest due first). */
  DELIVERY_SCHEDULER_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * The delivery consumer's ack_wait, applied to the topology by this process and the
   * workers (give all the same value). Shortened only by fault-injection runs.
   */
  DELIVERY_ACK_WAIT_MS: z.coerce.number().int().min(1_000).default(DEFAULT_DELIVERY_ACK_WAIT_MS),
  /**
   * The failed attempts after which a delivery raises `delivery.failing` for the clinic's
   * other endpoints, once per delivery; also what an endpoint's failing run needs before
   * its end raises `endpoint.recovered` (docs/delivery.md, "Operational events").
   */
  DELIVERY_FAILING_AFTER_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(3),
  /** An endpoint failing continuously this long is disabled (reason "failing"). */
  ENDPOINT_DISABLE_AFTER_MS: durationMs(5 * DAY),
  /** After a rotation the previous key keeps signing beside the new one this long. */
  ENDPOINT_SECRET_OVERLAP_MS: durationMs(DAY),
  /** https is required for endpoint URLs unless this is true (dev and tests). */
  ENDPOINT_ALLOW_HTTP: z.stringbool().default(false),
  /**
   * Comma-separated CIDRs an endpoint URL's IP literal may be in although deliveries may
   * not reach them by default (give it the workers' DELIVERY_ALLOW_PRIVATE_NETWORKS), e.g.
   * "127.0.0.0/8,::1/128" for dev and tests. Empty by default.
   */
  ENDPOINT_ALLOW_PRIVATE_NETWORKS: cidrListSetting(),
  /**
   * Deliveries in flight to one endpoint at once (dispatched, not yet reported), across
   * every worker; the rest of its due deliveries wait in the database (delivery/dispatcher.ts).
   */
  ENDPOINT_DEFAULT_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /** How far back the event feed (events.list, events.wait) reaches, in days. */
  EVENT_RETENTION_DAYS: z.coerce.number().positive().default(30),
  /** Long polls (events.wait) open at once per clinic; one more is TOO_MANY_REQUESTS. */
  EVENT_FEED_MAX_WAITERS_PER_CLINIC: z.coerce.number().int().min(1).max(10_000).default(10),
  /** How long a creating call's result answers repeats of its `Idempotency-Key`. */
  IDEMPOTENCY_TTL_MS: durationMs(DAY),
  /**
   * Requests per second per API key, across every insurer process (on PostgreSQL the
   * buckets are rows all processes share; on SQLite, one process, they are in memory);
   * 0 turns rate limiting off.
   */
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).default(50),
  /** Requests one API key may make at once before the per-second rate applies. */
  RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(100),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ...shutdownEnvSchema,
});
export type Env = z.infer<typeof EnvSchema>;

/** Validates the environment (process.env in main.ts; a plain object in tests). */
export function parseEnv(source: EnvSource): Env {
  return parseServiceEnv(EnvSchema, source, "insurer");
}
