import { asc, eq } from "drizzle-orm";
import type { DbExecutor } from "../db/open-database.ts";
import {
  claims,
  type InboxSource,
  type InboxState,
  inbox,
  patientNotifications,
} from "../db/schema.ts";
import { type DecisionDeadline, decisionDeadline } from "./decision-deadline.ts";
import { statusHistory } from "./status-history.ts";

/** One status the claim went through, and how the clinic learned of it. */
export type TimelineEntry = {
  version: number;
  status: string;
  /** When the insurer made the change (the event's timestamp). */
  occurredAt: string;
  /** "submit response": the insurer's answer to our own `claims.submit`, before any webhook. */
  learnedFrom: InboxSource | "submit response";
  webhookId: string | null;
  /** When its message first reached the inbox (null: learned from the submit response). */
  receivedAt: string | null;
  /** When it was applied to the claim. */
  processedAt: string;
  /** Accepted webhook deliveries of that event (repeats included; 0: only the feed had it). */
  deliveries: number;
};

/** Every inbox message about the claim, including those that changed nothing. */
export type ClaimMessage = {
  webhookId: string;
  eventType: string;
  version: number;
  state: InboxState;
  source: InboxSource;
  receivedAt: string;
  lastDeliveredAt: string | null;
  processedAt: string | null;
  deliveries: number;
  attempts: number;
  retryAt: string | null;
  error: string | null;
  note: string | null;
};

export type ClaimDetail = {
  id: string;
  clinicReference: string;
  patientRef: string | null;
  status: string;
  version: number;
  total: { amount: number; currency: string };
  approvedAmount: number | null;
  paidAmount: number | null;
  reasonCodes: string[];
  paymentReference: string | null;
  submittedAt: string | null;
  updatedAt: string;
  deadline: DecisionDeadline;
  /** Path of the patient's status page (`/p/<token>`); give it to the patient only. */
  patientPath: string | null;
  timeline: TimelineEntry[];
  messages: ClaimMessage[];
  notifications: { version: number; channel: string; message: string; createdAt: string }[];
};

/** A claim as clinic staff see it on its page, or undefined when the clinic has no such claim. */
export function claimTimeline(
  db: DbExecutor,
  claimId: string,
  now: number,
): ClaimDetail | undefined {
  const claim = db.select().from(claims).where(eq(claims.id, claimId)).get();
  if (!claim) return undefined;
  const messages = db
    .select()
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
    messages: messages.map((message) => ({
      webhookId: message.webhookId,
      eventType: message.eventType,
      version: message.version,
      state: message.state,
      source: message.source,
      receivedAt: message.receivedAt,
      lastDeliveredAt: message.lastDeliveredAt,
      processedAt: message.processedAt,
      deliveries: message.deliveries,
      attempts: message.attempts,
      retryAt: message.retryAt,
      error: message.error,
      note: message.note,
    })),
    notifications: notifications.map(({ version, channel, message, createdAt }) => ({
      version,
      channel,
      message,
      createdAt,
    })),
  };
}
