import type { DbExecutor } from "@claimwire/clinic-db";
import {
  claims,
  INBOX_SOURCES,
  INBOX_STATES,
  inbox,
  PATIENT_EMAIL_STATES,
  PATIENT_LANGUAGES,
  patientEmailOutbox,
  patientNotifications,
} from "@claimwire/clinic-db";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { DecisionDeadlineSchema, decisionDeadline } from "./decision-deadline.ts";
import { ClinicMoneySchema } from "./list-claims.ts";
import { statusHistory } from "./status-history.ts";

/** One status the claim went through, and how the clinic learned of it. */
export const TimelineEntrySchema = z.object({
  version: z.number().int(),
  status: z.string(),
  /** When the insurer made the change (the event's timestamp). */
  occurredAt: z.string(),
  /** "submit response": the insurer's answer to our own `claims.submit`, before any webhook. */
  learnedFrom: z.enum([...INBOX_SOURCES, "submit response"]),
  webhookId: z.string().nullable(),
  /** When its message first reached the inbox (null: learned from the submit response). */
  receivedAt: z.string().nullable(),
  /** When it was applied to the claim. */
  processedAt: z.string(),
  /** Accepted webhook deliveries of that event (repeats included; 0: only the feed had it). */
  deliveries: z.number().int(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** Every inbox message about the claim, including those that changed nothing. */
export const ClaimMessageSchema = z.object({
  webhookId: z.string(),
  eventType: z.string(),
  version: z.number().int(),
  state: z.enum(INBOX_STATES),
  source: z.enum(INBOX_SOURCES),
  receivedAt: z.string(),
  lastDeliveredAt: z.string().nullable(),
  processedAt: z.string().nullable(),
  deliveries: z.number().int(),
  attempts: z.number().int(),
  retryAt: z.string().nullable(),
  error: z.string().nullable(),
  note: z.string().nullable(),
});
export type ClaimMessage = z.infer<typeof ClaimMessageSchema>;

/** The inbox columns a `ClaimMessage` is read from (not the bodies: nobody lists them). */
export const claimMessageColumns = {
  webhookId: inbox.webhookId,
  eventType: inbox.eventType,
  version: inbox.version,
  state: inbox.state,
  source: inbox.source,
  receivedAt: inbox.receivedAt,
  lastDeliveredAt: inbox.lastDeliveredAt,
  processedAt: inbox.processedAt,
  deliveries: inbox.deliveries,
  attempts: inbox.attempts,
  retryAt: inbox.retryAt,
  error: inbox.error,
  note: inbox.note,
};

/** A claim with its whole story, as clinic staff see it on its page. */
export const ClaimDetailSchema = z.object({
  id: z.string(),
  clinicReference: z.string(),
  patientRef: z.string().nullable(),
  status: z.string(),
  version: z.number().int(),
  total: ClinicMoneySchema,
  approvedAmount: z.number().int().nullable(),
  paidAmount: z.number().int().nullable(),
  reasonCodes: z.array(z.string()),
  paymentReference: z.string().nullable(),
  submittedAt: z.string().nullable(),
  updatedAt: z.string(),
  deadline: DecisionDeadlineSchema,
  /** Path of the patient's status page (`/p/<token>`); give it to the patient only. */
  patientPath: z.string().nullable(),
  timeline: z.array(TimelineEntrySchema),
  messages: z.array(ClaimMessageSchema),
  notifications: z.array(
    z.object({
      version: z.number().int(),
      channel: z.string(),
      message: z.string(),
      createdAt: z.string(),
    }),
  ),
  /** Where the patient's e-mails go (staff gave it with the claim); null: no e-mail. */
  patientContact: z.object({ email: z.string(), language: z.enum(PATIENT_LANGUAGES) }).nullable(),
  /** The e-mails queued for the patient (only while e-mail is on), oldest first. */
  emails: z.array(
    z.object({
      version: z.number().int(),
      status: z.string(),
      state: z.enum(PATIENT_EMAIL_STATES),
      attempts: z.number().int(),
      nextAttemptAt: z.string(),
      lastError: z.string().nullable(),
      sentAt: z.string().nullable(),
    }),
  ),
});
export type ClaimDetail = z.infer<typeof ClaimDetailSchema>;

/** A claim as clinic staff see it on its page, or undefined when the clinic has no such claim. */
export function claimTimeline(
  db: DbExecutor,
  claimId: string,
  now: number,
): ClaimDetail | undefined {
  const claim = db.select().from(claims).where(eq(claims.id, claimId)).get();
  if (!claim) return undefined;
  const messages = db
    .select(claimMessageColumns)
    .from(inbox)
    .where(eq(inbox.claimId, claimId))
    .orderBy(asc(inbox.version), asc(inbox.receivedAt))
    .all();
  const byWebhookId = new Map(messages.map((message) => [message.webhookId, message]));
  const history = statusHistory(db, claimId);
  const notifications = db
    .select()
    .from(patientNotifications)
    .where(eq(patientNotifications.claimId, claimId))
    .orderBy(asc(patientNotifications.version))
    .all();
  const emails = db
    .select({
      version: patientEmailOutbox.version,
      status: patientEmailOutbox.status,
      state: patientEmailOutbox.state,
      attempts: patientEmailOutbox.attempts,
      nextAttemptAt: patientEmailOutbox.nextAttemptAt,
      lastError: patientEmailOutbox.lastError,
      sentAt: patientEmailOutbox.sentAt,
    })
    .from(patientEmailOutbox)
    .where(eq(patientEmailOutbox.claimId, claimId))
    .orderBy(asc(patientEmailOutbox.version))
    .all();

  return {
    id: claim.id,
    clinicReference: claim.clinicReference,
    patientRef: claim.patientRef,
    status: claim.status,
    version: claim.version,
    total: { amount: claim.totalAmount, currency: claim.currency },
    approvedAmount: claim.approvedAmount,
    paidAmount: claim.paidAmount,
    reasonCodes: JSON.parse(claim.reasonCodes) as string[],
    paymentReference: claim.paymentReference,
    submittedAt: claim.submittedAt,
    updatedAt: claim.updatedAt,
    deadline: decisionDeadline(claim.status, claim.decisionDueAt, now),
    patientPath: claim.patientToken ? `/p/${claim.patientToken}` : null,
    timeline: history.map((entry) => {
      const message = entry.webhookId ? byWebhookId.get(entry.webhookId) : undefined;
      return {
        version: entry.version,
        status: entry.status,
        occurredAt: entry.occurredAt,
        learnedFrom: message?.source ?? "submit response",
        webhookId: entry.webhookId,
        receivedAt: message?.receivedAt ?? null,
        processedAt: message?.processedAt ?? entry.appliedAt,
        deliveries: message?.deliveries ?? 0,
      };
    }),
    messages,
    notifications: notifications.map(({ version, channel, message, createdAt }) => ({
      version,
      channel,
      message,
      createdAt,
    })),
    patientContact: claim.patientEmail
      ? { email: claim.patientEmail, language: claim.patientLanguage ?? "en" }
      : null,
    emails,
  };
}
