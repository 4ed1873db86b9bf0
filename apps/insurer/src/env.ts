import { z } from "zod";

export const DEFAULT_STAFF_API_KEY = "cw_staff_dev_key_change_me";

/** Every setting of the insurer, with defaults that run on one machine without setup. */
export const EnvSchema = z.object({
  INSURER_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  INSURER_HOST: z.string().min(1).default("127.0.0.1"),
  INSURER_DB_PATH: z.string().min(1).default("./.data/insurer.sqlite"),
  NATS_URL: z.string().min(1).default("nats://127.0.0.1:14222"),
  INSURER_STAFF_API_KEY: z.string().min(16).default(DEFAULT_STAFF_API_KEY),
  SEED_DEMO_CLINIC: z.stringbool().default(false),
  DEMO_CLINIC_API_KEY: z.string().min(16).default("cw_clinic_demo_dev_key_change_me"),
  ADJUDICATION_SIMULATOR: z.stringbool().default(false),
  /** Simulated seconds per real second: 86400 lets a simulated day pass each second. */
  SIMULATOR_TIME_SCALE: z.coerce.number().positive().default(86_400),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type Env = z.infer<typeof EnvSchema>;

/** Validates the environment (process.env in main.ts; a plain object in tests). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid insurer environment:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
