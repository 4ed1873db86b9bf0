import { PATIENT_LANGUAGES } from "@claimwire/clinic-db";
import { z } from "zod";

/** How the connection to the SMTP server is secured. */
export const SMTP_TLS_MODES = ["starttls", "implicit", "none"] as const;
export type SmtpTlsMode = (typeof SMTP_TLS_MODES)[number];

/** The SMTP server the patient's e-mails go through; absent when e-mail is off. */
export type SmtpSettings = {
  host: string;
  port: number;
  /**
   * "starttls": plain connection upgraded with STARTTLS, refused without it (port 587).
   * "implicit": TLS from the first byte (port 465). "none": never TLS (a local catcher).
   */
  tls: SmtpTlsMode;
  /** Both or neither. The password is never logged (see smtp-transport.ts). */
  auth: { user: string; password: string } | null;
  /** The From header: `clinic@example.org` or `Clinic <clinic@example.org>`. */
  from: string;
  /** Connection, greeting and per-answer inactivity limit of one send. */
  timeoutMs: number;
};

const DEFAULT_PORTS: Record<SmtpTlsMode, number> = { starttls: 587, implicit: 465, none: 25 };

// An address, optionally after a display name: "Clinic <clinic@example.org>".
const FROM_PATTERN = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/**
 * The e-mail variables of the clinic's environment (env.ts spreads them into its schema).
 * E-mail is on when CLINIC_SMTP_HOST is set; then CLINIC_SMTP_FROM is required.
 */
export const mailEnvShape = {
  CLINIC_SMTP_HOST: z.string().min(1).optional(),
  CLINIC_SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  CLINIC_SMTP_TLS: z.enum(SMTP_TLS_MODES).default("starttls"),
  CLINIC_SMTP_USER: z.string().min(1).optional(),
  CLINIC_SMTP_PASSWORD: z.string().min(1).optional(),
  CLINIC_SMTP_FROM: z
    .string()
    .regex(FROM_PATTERN, "must be an address, or a name followed by <address>")
    .optional(),
  CLINIC_SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Where patients open their links, if not CLINIC_PUBLIC_URL (the insurer's way in). */
  CLINIC_PATIENT_BASE_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .optional(),
  /** The language of a patient's e-mails when the clinic did not choose one. */
  CLINIC_DEFAULT_LANGUAGE: z.enum(PATIENT_LANGUAGES).default("en"),
};

const MailEnvSchema = z.object(mailEnvShape);
type MailEnv = z.output<typeof MailEnvSchema>;

/** The cross-variable rules, reported on the variable that breaks them (never its value). */
export function checkMailEnv(env: MailEnv, ctx: z.RefinementCtx) {
  const issue = (name: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [name], message: `${name} ${message}` });
  if (!env.CLINIC_SMTP_HOST) {
    for (const name of ["CLINIC_SMTP_PORT", "CLINIC_SMTP_USER", "CLINIC_SMTP_PASSWORD"] as const) {
      if (env[name] !== undefined)
        issue(name, "is set but CLINIC_SMTP_HOST is not (e-mail is off)");
    }
    return;
  }
  if (!env.CLINIC_SMTP_FROM) issue("CLINIC_SMTP_FROM", "is required when CLINIC_SMTP_HOST is set");
  if (env.CLINIC_SMTP_USER && !env.CLINIC_SMTP_PASSWORD) {
    issue("CLINIC_SMTP_PASSWORD", "is required when CLINIC_SMTP_USER is set");
  }
  if (env.CLINIC_SMTP_PASSWORD && !env.CLINIC_SMTP_USER) {
    issue("CLINIC_SMTP_USER", "is required when CLINIC_SMTP_PASSWORD is set");
  }
}

/** The SMTP settings the variables describe, or null when e-mail is off. */
export function smtpSettingsFrom(env: MailEnv): SmtpSettings | null {
  if (!env.CLINIC_SMTP_HOST || !env.CLINIC_SMTP_FROM) return null;
  return {
    host: env.CLINIC_SMTP_HOST,
    port: env.CLINIC_SMTP_PORT ?? DEFAULT_PORTS[env.CLINIC_SMTP_TLS],
    tls: env.CLINIC_SMTP_TLS,
    auth:
      env.CLINIC_SMTP_USER && env.CLINIC_SMTP_PASSWORD
        ? { user: env.CLINIC_SMTP_USER, password: env.CLINIC_SMTP_PASSWORD }
        : null,
    from: env.CLINIC_SMTP_FROM,
    timeoutMs: env.CLINIC_SMTP_TIMEOUT_MS,
  };
}
