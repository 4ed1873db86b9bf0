import type {
  ClaimStatus,
  ServiceLine,
  WebhookEvent,
  WebhookEventType,
} from "@claimwire/contracts";
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * The insurer's system of record. Timestamps are ISO-8601 UTC strings (they sort as
 * text); amounts are integers in the claim currency's minor unit; lists are JSON text.
 * After a change here: `pnpm exec drizzle-kit generate` and commit `drizzle/`.
 */

export const clinics = sqliteTable("clinics", {
  id: text().primaryKey(),
  name: text().notNull(),
  createdAt: text("created_at").notNull(),
});

/** Only the sha256 of a key is stored; `prefix` lets staff recognise a key without it. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text().primaryKey(),
    clinicId: text("clinic_id")
      .notNull()
      .references(() => clinics.id),
    keyHash: text("key_hash").notNull(),
    prefix: text().notNull(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_key_hash_unique").on(t.keyHash)],
);

export const claims = sqliteTable(
  "claims",
  {
    id: text().primaryKey(),
    clinicId: text("clinic_id")
      .notNull()
      .references(() => clinics.id),
    clinicReference: text("clinic_reference").notNull(),
    patientRef: text("patient_ref").notNull(),
    policyNumber: text("policy_number").notNull(),
    currency: text().notNull(),
    serviceLines: text("service_lines", { mode: "json" }).$type<ServiceLine[]>().notNull(),
    totalAmount: integer("total_amount").notNull(),
    status: text().$type<ClaimStatus>().notNull(),
    version: integer().notNull(),
    submittedAt: text("submitted_at").notNull(),
    decisionDueAt: text("decision_due_at").notNull(),
    decidedAt: text("decided_at"),
    approvedAmount: integer("approved_amount"),
    reasonCodes: text("reason_codes", { mode: "json" }).$type<string[]>().notNull(),
    paymentReference: text("payment_reference"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [
    // Idempotent submission: one claim per clinic reference.
    uniqueIndex("claims_clinic_reference_unique").on(t.clinicId, t.clinicReference),
    // The staff work queue: open claims, earliest deadline first.
    index("claims_status_deadline_idx").on(t.status, t.decisionDueAt),
  ],
);

/**
 * The event log and the transactional outbox in one table: a row is written in the same
 * transaction as the claim change it describes, and the relay publishes rows whose
 * `published_at` is null in `seq` order.
 */
export const events = sqliteTable(
  "events",
  {
    seq: integer().primaryKey({ autoIncrement: true }),
    id: text().notNull().unique(),
    clinicId: text("clinic_id").notNull(),
    claimId: text("claim_id")
      .notNull()
      .references(() => claims.id),
    type: text().$type<WebhookEventType>().notNull(),
    version: integer().notNull(),
    /** The WebhookEvent envelope `{type, timestamp, data}`, exactly as delivered. */
    payload: text({ mode: "json" }).$type<WebhookEvent>().notNull(),
    committedAt: text("committed_at").notNull(),
    publishedAt: text("published_at"),
  },
  (t) => [
    // Partial index: the relay's scan stays cheap however long the log grows.
    index("events_unpublished_idx").on(t.seq).where(sql`${t.publishedAt} is null`),
    // One event per claim version: a second writer of the same change fails loudly.
    uniqueIndex("events_claim_version_unique").on(t.claimId, t.version),
  ],
);

export const endpoints = sqliteTable(
  "endpoints",
  {
    id: text().primaryKey(),
    clinicId: text("clinic_id")
      .notNull()
      .references(() => clinics.id),
    url: text().notNull(),
    eventTypes: text("event_types", { mode: "json" }).$type<WebhookEventType[]>().notNull(),
    description: text().notNull(),
    secret: text().notNull(),
    enabled: integer({ mode: "boolean" }).notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("endpoints_clinic_idx").on(t.clinicId)],
);

export type DeliveryStatus = "pending" | "delivered" | "failed";

/** One row per event × endpoint; deleting an endpoint deletes its delivery history. */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text().primaryKey(),
    eventId: text("event_id")
      .notNull()
      .references(() => events.id),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => endpoints.id, { onDelete: "cascade" }),
    status: text().$type<DeliveryStatus>().notNull(),
    attemptCount: integer("attempt_count").notNull(),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    nextAttemptAt: text("next_attempt_at"),
    deliveredAt: text("delivered_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("deliveries_event_endpoint_unique").on(t.eventId, t.endpointId)],
);

/** One row per HTTP attempt a worker reported; `id` is the report's attemptId. */
export const attempts = sqliteTable(
  "attempts",
  {
    id: text().primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    attemptNumber: integer("attempt_number").notNull(),
    startedAt: text("started_at").notNull(),
    durationMs: real("duration_ms").notNull(),
    outcome: text().$type<"delivered" | "failed">().notNull(),
    statusCode: integer("status_code"),
    error: text(),
    nextAttemptAt: text("next_attempt_at"),
  },
  (t) => [index("attempts_delivery_idx").on(t.deliveryId)],
);
