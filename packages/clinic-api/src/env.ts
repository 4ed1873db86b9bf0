import { type EnvSource, parseEnv, shutdownEnvSchema } from "@claimwire/service";
import { z } from "zod";
import { checkMailEnv, mailEnvShape, smtpSettingsFrom } from "./mail/mail-settings.ts";
import {
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_RECONCILE_SETTLE_MS,
} from "./reconciliation/feed-reconciler.ts";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const EnvSchema = z
  .object({
    CLINIC_PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    CLINIC_HOST: z.string().min(1).default("127.0.0.1"),
    /** Where the insurer reaches this clinic; defaults to the local listen address. */
    CLINIC_PUBLIC_URL: httpUrl.optional(),
    CLINIC_DB_PATH: z.string().min(1).default("./.data/clinic.sqlite"),
    /** The built web app served at /; by default the clinic-web package's dist/. */
    CLINIC_WEB_APP_DIR: z.string().min(1).optional(),
    INSURER_URL: httpUrl.default("http://127.0.0.1:4000"),
    /** Matches the insurer's DEMO_CLINIC_API_KEY default (with SEED_DEMO_CLINIC=true). */
    CLINIC_API_KEY: z.string().min(1).default("cw_clinic_demo_dev_key_change_me"),
    /** How long an event waits for a missing earlier version before it is applied anyway. */
    CLINIC_GAP_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
    /** Pause between reconciliation runs against the insurer's event feed. */
    CLINIC_RECONCILE_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(DEFAULT_RECONCILE_INTERVAL_MS),
    /** Events younger than this are left to their webhooks by reconciliation (still on their way). */
    CLINIC_RECONCILE_SETTLE_MS: z.coerce.number().int().min(0).default(DEFAULT_RECONCILE_SETTLE_MS),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    ...shutdownEnvSchema,
    ...mailEnvShape,
  })
  .superRefine(checkMailEnv)
  .transform((env) => ({
    port: env.CLINIC_PORT,
    host: env.CLINIC_HOST,
    publicUrl: (env.CLINIC_PUBLIC_URL ?? `http://127.0.0.1:${env.CLINIC_PORT}`).replace(/\/+$/, ""),
    dbPath: env.CLINIC_DB_PATH,
    webAppDir: env.CLINIC_WEB_APP_DIR,
    insurerUrl: env.INSURER_URL.replace(/\/+$/, ""),
    apiKey: env.CLINIC_API_KEY,
    gapWaitMs: env.CLINIC_GAP_WAIT_MS,
    reconcileIntervalMs: env.CLINIC_RECONCILE_INTERVAL_MS,
    reconcileSettleMs: env.CLINIC_RECONCILE_SETTLE_MS,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    smtp: smtpSettingsFrom(env),
    patientBaseUrl: (
      env.CLINIC_PATIENT_BASE_URL ??
      env.CLINIC_PUBLIC_URL ??
      `http://127.0.0.1:${env.CLINIC_PORT}`
    ).replace(/\/+$/, ""),
    defaultLanguage: env.CLINIC_DEFAULT_LANGUAGE,
  }));

export type ClinicEnv = z.output<typeof EnvSchema>;

/** Reads and validates the clinic's configuration; throws naming every bad variable. */
export function readEnv(source: EnvSource = process.env): ClinicEnv {
  return parseEnv(EnvSchema, source, "clinic");
}
