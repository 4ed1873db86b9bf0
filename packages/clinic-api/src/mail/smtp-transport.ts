import nodemailer from "nodemailer";
import type { SmtpSettings } from "./mail-settings.ts";

export type MailMessage = { to: string; subject: string; text: string };

/** Sends one message; rejects with a SendFailure. What the patient mailer needs of SMTP. */
export type MailTransport = {
  send(message: MailMessage): Promise<{ messageId: string }>;
  close(): void;
};

/**
 * Why a send failed, with any configured secret already removed from the message.
 * `permanent`: the server refused the recipient (5xx to RCPT TO), so retrying is useless.
 */
export class SendFailure extends Error {
  readonly permanent: boolean;
  readonly responseCode: number | undefined;
  constructor(message: string, options: { permanent: boolean; responseCode?: number }) {
    super(message);
    this.name = "SendFailure";
    this.permanent = options.permanent;
    this.responseCode = options.responseCode;
  }
}

/**
 * An SMTP transport (nodemailer) for the given settings. One connection per message: a
 * stalled server costs one send its timeout, never the messages beside it. Nodemailer's
 * own logging stays off, and every error message passes through `redact` so that the
 * password cannot reach a log line or the outbox's `last_error`.
 */
export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  const transporter = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.tls === "implicit",
    requireTLS: settings.tls === "starttls",
    ignoreTLS: settings.tls === "none",
    ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.password } } : {}),
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
    logger: false,
    debug: false,
  });
  const secrets = settings.auth ? [settings.auth.password] : [];
  return {
    async send(message) {
      try {
        const info = await transporter.sendMail({ from: settings.from, ...message });
        return { messageId: info.messageId };
      } catch (error) {
        throw sendFailureFrom(error, secrets);
      }
    },
    close: () => transporter.close(),
  };
}

function sendFailureFrom(error: unknown, secrets: readonly string[]): SendFailure {
  const details = (error ?? {}) as { message?: unknown; responseCode?: unknown; command?: unknown };
  const responseCode = typeof details.responseCode === "number" ? details.responseCode : undefined;
  const command = typeof details.command === "string" ? details.command : "";
  const message = redact(String(details.message ?? error), secrets).slice(0, 1_000);
  const permanent = responseCode !== undefined && responseCode >= 500 && command.startsWith("RCPT");
  return new SendFailure(message, { permanent, ...(responseCode ? { responseCode } : {}) });
}

/** The text with every occurrence of each secret (and its base64, as AUTH sends it) masked. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of [secret, Buffer.from(secret).toString("base64")]) {
      if (form.length > 0) out = out.split(form).join("[redacted]");
    }
  }
  return out;
}
