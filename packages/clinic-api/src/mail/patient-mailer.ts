import type { ClinicDatabase } from "@claimwire/clinic-db";
import { claims, patientEmailOutbox } from "@claimwire/clinic-db";
import { and, asc, eq, isNull, lte, notInArray, or } from "drizzle-orm";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import { EMAIL_RETRY_DELAYS_MS, emailRetryDelayMs } from "./email-retry-schedule.ts";
import { isPatientEmailStatus, patientEmail } from "./patient-email.ts";
import { type MailTransport, SendFailure } from "./smtp-transport.ts";

export type PatientMailerOptions = {
  db: ClinicDatabase;
  transport: MailTransport;
  logger: Logger;
  clock: Clock;
  /** Where patients open their page: links are `<patientBaseUrl>/p/<token>`. */
  patientBaseUrl: string;
  /** Messages being sent at once; a stalled server holds one of them, not the others. */
  concurrency?: number;
  /** How long an attempt may hold its row before another may take it (a crash mid-send). */
  leaseMs: number;
  retryDelaysMs?: readonly number[];
  /** The slow timer that finds retries coming due. */
  intervalMs?: number;
};

export type PatientMailer = {
  /** Looks for due e-mails soon (coalesced): after a status change was applied. */
  wake(): void;
  start(): void;
  /** Stops taking new e-mails; the ones being sent go on (see `settle`). */
  stop(): void;
  /** Resolves when every send under way has finished and been recorded. */
  settle(): Promise<void>;
  running(): boolean;
};

type DueEmail = {
  id: number;
  claimId: string;
  version: number;
  status: string;
  recipient: string;
  language: "en" | "ru";
  attempts: number;
  clinicReference: string;
  patientToken: string | null;
};

/**
 * Sends the clinic's mail outbox (`patient_email_outbox`), away from the webhook receiver
 * and the inbox processor: they only write rows. Each due row is leased, sent over its own
 * SMTP connection, then marked sent, or given its next attempt after a backoff
 * (email-retry-schedule.ts), or marked failed when the server refused the address or the
 * retries ran out. A row whose retry is not yet due is skipped, so one failing message
 * holds up no other. A crash between the server's acceptance and the "sent" mark sends the
 * message again after its lease: at least once; the unique key on claim, version and
 * channel keeps it to one row, never two e-mails for two copies of an event.
 */
export function createPatientMailer({
  db,
  transport,
  logger,
  clock,
  patientBaseUrl,
  concurrency = 4,
  leaseMs,
  retryDelaysMs = EMAIL_RETRY_DELAYS_MS,
  intervalMs = 1_000,
}: PatientMailerOptions): PatientMailer {
  const inFlight = new Map<number, Promise<void>>();
  let scheduled = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;

  const iso = (ms: number) => new Date(ms).toISOString();

  function startDue() {
    scheduled = false;
    if (stopped) return;
    const free = concurrency - inFlight.size;
    if (free <= 0) return;
    const now = iso(clock.now());
    let due: DueEmail[];
    try {
      due = db
        .select({
          id: patientEmailOutbox.id,
          claimId: patientEmailOutbox.claimId,
          version: patientEmailOutbox.version,
          status: patientEmailOutbox.status,
          recipient: patientEmailOutbox.recipient,
          language: patientEmailOutbox.language,
          attempts: patientEmailOutbox.attempts,
          clinicReference: claims.clinicReference,
          patientToken: claims.patientToken,
        })
        .from(patientEmailOutbox)
        .innerJoin(claims, eq(claims.id, patientEmailOutbox.claimId))
        .where(
          and(
            eq(patientEmailOutbox.state, "pending"),
            lte(patientEmailOutbox.nextAttemptAt, now),
            or(isNull(patientEmailOutbox.leaseUntil), lte(patientEmailOutbox.leaseUntil, now)),
            inFlight.size > 0 ? notInArray(patientEmailOutbox.id, [...inFlight.keys()]) : undefined,
          ),
        )
        .orderBy(asc(patientEmailOutbox.nextAttemptAt), asc(patientEmailOutbox.id))
        .limit(free)
        .all();
    } catch (error) {
      logger.error({ error: (error as Error).message }, "could not read the mail outbox");
      return;
    }
    for (const email of due) {
      const leased = db
        .update(patientEmailOutbox)
        .set({ leaseUntil: iso(clock.now() + leaseMs) })
        .where(eq(patientEmailOutbox.id, email.id))
        .run();
      if (leased.changes !== 1) continue;
      const attempt = send(email).finally(() => {
        inFlight.delete(email.id);
        wake();
      });
      inFlight.set(email.id, attempt);
    }
  }

  async function send(email: DueEmail) {
    const log = { outboxId: email.id, claimId: email.claimId, version: email.version };
    // The address is the patient's: it stays out of the logs, like everything else about them.
    try {
      if (!email.patientToken)
        throw new SendFailure("the claim has no patient link", { permanent: true });
      if (!isPatientEmailStatus(email.status)) {
        throw new SendFailure(`no e-mail for status '${email.status}'`, { permanent: true });
      }
      const content = patientEmail({
        status: email.status,
        clinicReference: email.clinicReference,
        link: `${patientBaseUrl}/p/${email.patientToken}`,
        language: email.language,
      });
      const { messageId } = await transport.send({ to: email.recipient, ...content });
      record(log, () =>
        db
          .update(patientEmailOutbox)
          .set({
            state: "sent",
            sentAt: iso(clock.now()),
            messageId,
            leaseUntil: null,
            lastError: null,
          })
          .where(eq(patientEmailOutbox.id, email.id))
          .run(),
      );
      logger.info({ ...log, status: email.status, messageId }, "patient e-mailed");
    } catch (error) {
      const failure =
        error instanceof SendFailure
          ? error
          : new SendFailure((error as Error).message, { permanent: false });
      const attempts = email.attempts + 1;
      const delay = failure.permanent ? undefined : emailRetryDelayMs(attempts, retryDelaysMs);
      if (delay === undefined) {
        logger.error(
          { ...log, attempts, error: failure.message },
          failure.permanent
            ? "patient e-mail refused for good"
            : "patient e-mail failed on every attempt",
        );
        record(log, () =>
          db
            .update(patientEmailOutbox)
            .set({ state: "failed", attempts, lastError: failure.message, leaseUntil: null })
            .where(eq(patientEmailOutbox.id, email.id))
            .run(),
        );
        return;
      }
      const nextAttemptAt = iso(clock.now() + delay);
      logger.warn(
        { ...log, attempts, nextAttemptAt, error: failure.message },
        "could not e-mail the patient; will retry",
      );
      record(log, () =>
        db
          .update(patientEmailOutbox)
          .set({ attempts, nextAttemptAt, lastError: failure.message, leaseUntil: null })
          .where(eq(patientEmailOutbox.id, email.id))
          .run(),
      );
    }
  }

  // The outcome could not be stored (the database closed under a send): the row keeps its
  // lease and is tried again once it runs out. At least once, never lost.
  function record(log: object, write: () => unknown) {
    try {
      write();
    } catch (error) {
      logger.error(
        { ...log, error: (error as Error).message },
        "could not record an e-mail's outcome",
      );
    }
  }

  function wake() {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(startDue);
  }

  return {
    wake,
    running: () => !stopped,
    start() {
      if (!stopped) return;
      stopped = false;
      // One clinic process per database: a lease still held belongs to a previous run that
      // ended mid-send, so its e-mails are due again now.
      db.update(patientEmailOutbox)
        .set({ leaseUntil: null })
        .where(eq(patientEmailOutbox.state, "pending"))
        .run();
      timer = setInterval(wake, intervalMs);
      wake();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
    },
    async settle() {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
