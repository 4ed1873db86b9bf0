import {
  blob,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  unique,
} from "drizzle-orm/sqlite-core";

// Table and column names are part of the contract with the cross-process tests, which
// read this database directly. Times are ISO-8601 UTC text.

/** The clinic's webhook endpoint at the insurer: a single row. */
export const endpointRegistration = sqliteTable("endpoint_registration", {
  endpointId: text("endpoint_id").primaryKey(),
  secret: text("secret").notNull(),
  url: text("url").notNull(),
  registeredAt: text("registered_at").notNull(),
});

/**
 * "failed": refused for good at once (a feed event its contracts do not parse).
 * "quarantined": processing threw on every one of its attempts (processor/retry-schedule.ts);
 * kept with its error for operators, and no longer holding back anything behind it.
 * "ignored": an event type this clinic's contracts do not know (the insurer added it
 * later): accepted and kept, never an error (docs/contracts.md).
 */
export const INBOX_STATES = [
  "pending",
  "applied",
  "duplicate",
  "stale",
  "failed",
  "quarantined",
  "ignored",
] as const;
export type InboxState = (typeof INBOX_STATES)[number];

/** How a message reached the inbox: a signed webhook, or the insurer's event feed (reconciliation). */
export const INBOX_SOURCES = ["webhook", "feed"] as const;
export type InboxSource = (typeof INBOX_SOURCES)[number];

/** Every verified delivery, stored before we answer 2xx; deduplicated on `webhook_id`. */
export const inbox = sqliteTable(
  "inbox",
  {
    webhookId: text("webhook_id").primaryKey(),
    eventType: text("event_type").notNull(),
    claimId: text("claim_id").notNull(),
    version: integer("version").notNull(),
    /** The body as UTF-8 text, what the processor reads. */
    body: text("body").notNull(),
    /**
     * The body's bytes exactly as received and signed, so the message can be verified
     * again (receiver/stored-message-verification.ts): text decoding is not guaranteed to
     * give them back (a byte-order mark, invalid UTF-8). Null for a message the feed
     * brought (it was never signed) and for messages stored before migration 0003.
     */
    rawBody: blob("raw_body", { mode: "buffer" }),
    /** `webhook-timestamp` of the first accepted attempt, in Unix seconds. */
    webhookTimestamp: integer("webhook_timestamp").notNull(),
    webhookSignature: text("webhook_signature").notNull(),
    /**
     * The W3C traceparent of the receiving span (null when tracing is off): the processor
     * continues the sender's trace from it, however much later it runs.
     */
    traceparent: text("traceparent"),
    receivedAt: text("received_at").notNull(),
    state: text("state", { enum: INBOX_STATES }).notNull().default("pending"),
    processedAt: text("processed_at"),
    error: text("error"),
    /** Why a message was applied out of order (a gap that never filled), for operators. */
    note: text("note"),
    /**
     * "feed": fetched by reconciliation (no signature: it came over the authenticated API;
     * `webhook_timestamp` is when it was fetched). Processed exactly like a webhook.
     */
    source: text("source", { enum: INBOX_SOURCES }).notNull().default("webhook"),
    /**
     * Accepted POSTs carrying this `webhook-id` (the first one and every repeat the sender
     * made because it never saw our 2xx); 0 for a message only the feed brought. Attempts
     * that never reached us, or that we rejected, are known only to the insurer.
     */
    deliveries: integer("deliveries").notNull().default(1),
    /** When the latest of those deliveries arrived. */
    lastDeliveredAt: text("last_delivered_at"),
    /** Processing attempts that threw; the message is quarantined after the last allowed one. */
    attempts: integer("attempts").notNull().default(0),
    /** A message whose processing threw waits until then before its next attempt. */
    retryAt: text("retry_at"),
  },
  (table) => [
    index("inbox_pending_idx").on(table.state, table.claimId, table.version),
    // The inbox page's newest-first list (inbox.recent) reads this instead of sorting the
    // whole inbox, which keeps every message it ever received.
    index("inbox_received_idx").on(table.receivedAt, table.webhookId),
  ],
);

/** The languages the patient's page and e-mails come in. */
export const PATIENT_LANGUAGES = ["en", "ru"] as const;
export type PatientLanguage = (typeof PATIENT_LANGUAGES)[number];

/** The clinic's view of each claim: the newest version it has applied. */
export const claims = sqliteTable("claims", {
  id: text("id").primaryKey(),
  clinicReference: text("clinic_reference").notNull(),
  /** Known when this clinic submitted the claim; webhooks do not carry it. */
  patientRef: text("patient_ref"),
  status: text("status").notNull(),
  version: integer("version").notNull(),
  totalAmount: integer("total_amount").notNull(),
  currency: text("currency").notNull(),
  approvedAmount: integer("approved_amount"),
  paidAmount: integer("paid_amount"),
  /** JSON array of reason codes (never clinical detail). */
  reasonCodes: text("reason_codes").notNull().default("[]"),
  paymentReference: text("payment_reference"),
  decisionDueAt: text("decision_due_at").notNull(),
  /**
   * The secret in the patient's status link (`/p/<token>`): random, unguessable, and the
   * only way in. Set when the clinic first stores the claim.
   */
  patientToken: text("patient_token").unique("claims_patient_token"),
  /** Unknown until the submit response or the claim.submitted event arrives. */
  submittedAt: text("submitted_at"),
  updatedAt: text("updated_at").notNull(),
  /**
   * Where the patient wants their e-mails, if they gave an address when the clinic
   * submitted the claim. Kept only here: it is never sent to the insurer.
   */
  patientEmail: text("patient_email"),
  /** The language of the patient's e-mails (PATIENT_LANGUAGES); set with the address. */
  patientLanguage: text("patient_language", { enum: PATIENT_LANGUAGES }),
});

export const claimStatusHistory = sqliteTable(
  "claim_status_history",
  {
    claimId: text("claim_id")
      .notNull()
      .references(() => claims.id),
    version: integer("version").notNull(),
    status: text("status").notNull(),
    /** Null when learned from the submit response rather than a webhook. */
    webhookId: text("webhook_id"),
    occurredAt: text("occurred_at").notNull(),
    appliedAt: text("applied_at").notNull(),
  },
  // One row per version: the primary key is the UNIQUE(claim_id, version) that makes a
  // replayed event unable to add a second row.
  (table) => [primaryKey({ columns: [table.claimId, table.version] })],
);

export const patientNotifications = sqliteTable(
  "patient_notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    claimId: text("claim_id")
      .notNull()
      .references(() => claims.id),
    version: integer("version").notNull(),
    channel: text("channel", { enum: ["log"] }).notNull(),
    message: text("message").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (table) => [unique("patient_notifications_claim_version").on(table.claimId, table.version)],
);

/**
 * "pending": waiting for its (next) attempt at `next_attempt_at`.
 * "sent": the SMTP server accepted it. "failed": refused for good (the server refused the
 * address, or every retry failed); kept with its error for staff.
 */
export const PATIENT_EMAIL_STATES = ["pending", "sent", "failed"] as const;
export type PatientEmailState = (typeof PATIENT_EMAIL_STATES)[number];

/**
 * The clinic's mail outbox: one row per claim version the patient is e-mailed about,
 * written in the transaction that applies the status change, sent afterwards by the
 * patient mailer (clinic-api src/mail). The unique key makes a second row for the same
 * claim version impossible, whatever delivers the event twice.
 */
export const patientEmailOutbox = sqliteTable(
  "patient_email_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    claimId: text("claim_id")
      .notNull()
      .references(() => claims.id),
    version: integer("version").notNull(),
    channel: text("channel", { enum: ["email"] }).notNull(),
    /** The claim's status at this version: what the message says, whatever came after. */
    status: text("status").notNull(),
    recipient: text("recipient").notNull(),
    language: text("language", { enum: PATIENT_LANGUAGES }).notNull(),
    state: text("state", { enum: PATIENT_EMAIL_STATES }).notNull().default("pending"),
    /** Attempts that failed so far. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: text("next_attempt_at").notNull(),
    /**
     * Set while an attempt is under way; a row whose lease has run out (the process died
     * mid-send) is tried again, which is why delivery is at least once.
     */
    leaseUntil: text("lease_until"),
    lastError: text("last_error"),
    /** The SMTP server's message id once accepted. */
    messageId: text("message_id"),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
  },
  (table) => [
    unique("patient_email_outbox_claim_version_channel").on(
      table.claimId,
      table.version,
      table.channel,
    ),
    index("patient_email_outbox_due_idx").on(table.state, table.nextAttemptAt),
  ],
);

/**
 * Reconciliation with the insurer's event feed (src/reconciliation): where the feed was
 * read up to, and how the latest run went. A single row (id 1).
 */
export const feedReconciliation = sqliteTable("feed_reconciliation", {
  id: integer("id").primaryKey(),
  /** The feed cursor to continue from; null until a run has seen any event. */
  cursor: text("cursor"),
  /** When the latest run ended, successfully or not. */
  lastRunAt: text("last_run_at"),
  /** Events the latest run fetched from the feed (already known ones included). */
  lastRunFetched: integer("last_run_fetched").notNull().default(0),
  /** Events the latest run found missing from the inbox and stored for the processor. */
  lastRunNew: integer("last_run_new").notNull().default(0),
  /** Why the latest run failed; null when it succeeded. */
  lastRunError: text("last_run_error"),
  /** When a run last read the feed to its end. */
  lastSuccessAt: text("last_success_at"),
});

export type ClaimRow = typeof claims.$inferSelect;
export type InboxRow = typeof inbox.$inferSelect;
export type HistoryRow = typeof claimStatusHistory.$inferSelect;
export type PatientNotificationRow = typeof patientNotifications.$inferSelect;
export type PatientEmailRow = typeof patientEmailOutbox.$inferSelect;
export type FeedReconciliationRow = typeof feedReconciliation.$inferSelect;
