import type {
  ClaimStatus,
  DeliveryErrorClass,
  DeliveryStatus,
  EndpointDisabledReason,
  PayloadFilter,
  ServiceLine,
  SignatureScheme,
  WebhookEvent,
  WebhookEventType,
} from "@claimwire/contracts";
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * The insurer's system of record on PostgreSQL: the same tables, columns and TypeScript
 * types as ../sqlite/schema.ts, column for column, so the domain is written once against
 * these types (../store.ts). Timestamps stay ISO-8601 UTC text, as on SQLite, so both
 * stores compare and sort them alike; `json` (not `jsonb`) keeps a payload's text exactly
 * as written. After a change to either schema: `pnpm db:generate` and commit `drizzle/`.
 */

export const clinics = pgTable("clinics", {
  id: text().primaryKey(),
  name: text().notNull(),
  createdAt: text("created_at").notNull(),
});

/** Only the sha256 of a key is stored; `prefix` lets staff recognise a key without it. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text().primaryKey(),
    clinicId: text("clinic_id")
      .notNull()
      .references(() => clinics.id),
    keyHash: text("key_hash").notNull(),
    prefix: text().notNull(),
    /** A label the clinic or staff chose ("billing system"); null if none. */
    name: text(),
    createdAt: text("created_at").notNull(),
    revokedAt: text("revoked_at"),
    /** Updated at most once a minute per key (domain/api-keys.ts). */
    lastUsedAt: text("last_used_at"),
  },
  (t) => [uniqueIndex("api_keys_key_hash_unique").on(t.keyHash)],
);

export const claims = pgTable(
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
    serviceLines: json("service_lines").$type<ServiceLine[]>().notNull(),
    totalAmount: integer("total_amount").notNull(),
    status: text().$type<ClaimStatus>().notNull(),
    version: integer().notNull(),
    submittedAt: text("submitted_at").notNull(),
    decisionDueAt: text("decision_due_at").notNull(),
    decidedAt: text("decided_at"),
    approvedAmount: integer("approved_amount"),
    reasonCodes: json("reason_codes").$type<string[]>().notNull(),
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
 * The event log: a row is written in the same transaction as the change it describes,
 * together with its deliveries (domain/append-event.ts). The event feed reads it in
 * `seq` order. Claim events carry their claim and version; operational events
 * (`endpoint.disabled`) have neither.
 */
export const events = pgTable(
  "events",
  {
    seq: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    id: text().notNull().unique(),
    clinicId: text("clinic_id").notNull(),
    claimId: text("claim_id").references(() => claims.id),
    type: text().$type<WebhookEventType>().notNull(),
    version: integer(),
    /** The WebhookEvent envelope `{type, timestamp, data}`, exactly as delivered. */
    payload: json().$type<WebhookEvent>().notNull(),
    committedAt: text("committed_at").notNull(),
    /**
     * The W3C traceparent of the change that committed the event (null when tracing was
     * off): every delivery of the event continues that trace, however much later.
     */
    traceparent: text(),
  },
  (t) => [
    // One event per claim version: a second writer of the same change fails loudly.
    // (NULLs are distinct, so operational events do not collide.)
    uniqueIndex("events_claim_version_unique").on(t.claimId, t.version),
    // The event feed: one clinic's events in commit order (domain/event-feed.ts).
    index("events_clinic_seq_idx").on(t.clinicId, t.seq),
  ],
);

/** A signing key replaced by a rotation: it keeps signing beside the new one until `expiresAt`. */
export type RetiringSecret = { secret: string; expiresAt: string };

export const endpoints = pgTable(
  "endpoints",
  {
    id: text().primaryKey(),
    clinicId: text("clinic_id")
      .notNull()
      .references(() => clinics.id),
    url: text().notNull(),
    /** Event types and wildcards (`claim.*`, `*`): domain/endpoint-subscription.ts. */
    eventTypes: json("event_types").$type<string[]>().notNull(),
    description: text().notNull(),
    /** The current signing key: `whsec_…` (hmac-sha256) or `whsk_…` (ed25519). */
    secret: text().notNull(),
    signatureScheme: text("signature_scheme")
      .$type<SignatureScheme>()
      .notNull()
      .default("hmac-sha256"),
    retiringSecrets: json("retiring_secrets").$type<RetiringSecret[]>().notNull().default([]),
    enabled: boolean().notNull(),
    disabledReason: text("disabled_reason").$type<EndpointDisabledReason>(),
    disabledAt: text("disabled_at"),
    /** When the current run of failed attempts began; null after a success. */
    failingSince: text("failing_since"),
    createdAt: text("created_at").notNull(),
    /** Custom headers sent with every attempt (names as given; never logged). */
    headers: json().$type<Record<string, string>>().notNull().default({}),
    /** Requests per second the endpoint accepts at most; null for no limit. */
    rateLimitPerSecond: integer("rate_limit_per_second"),
    /** The MongoDB-style body filter events must match beside their type; null for none. */
    payloadFilter: json("payload_filter").$type<PayloadFilter>(),
  },
  (t) => [index("endpoints_clinic_idx").on(t.clinicId)],
);

export type { DeliveryStatus };

/**
 * One row per event × endpoint, written in the event's own transaction; deleting an
 * endpoint deletes its delivery history. The table is also the dispatcher's queue: a row
 * whose `next_attempt_at` has come is due (a first attempt, a retry, a resend), and the
 * dispatcher is the one place that publishes it to DELIVERIES (delivery/dispatcher.ts,
 * docs/decisions/0001-one-path-to-the-queue.md).
 */
export const deliveries = pgTable(
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
    /** The number of the latest attempt dispatched (0 before the first). */
    attemptCount: integer("attempt_count").notNull(),
    /**
     * The attempt number the current schedule run started after: 0 for the first run; a
     * resend or recovery dispatched as attempt n sets n − 1, so it gets the full schedule.
     */
    scheduleBase: integer("schedule_base").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastErrorClass: text("last_error_class").$type<DeliveryErrorClass>(),
    lastError: text("last_error"),
    /** When the next attempt is due; null while none is waiting (in flight, or settled). */
    nextAttemptAt: text("next_attempt_at"),
    /** How the next attempt is dispatched: "manual" after a resend or a recovery. */
    nextTrigger: text("next_trigger")
      .$type<"scheduled" | "manual">()
      .notNull()
      .default("scheduled"),
    /** When the latest attempt was dispatched (the stuck timeout counts from here). */
    dispatchedAt: text("dispatched_at"),
    deliveredAt: text("delivered_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("deliveries_event_endpoint_unique").on(t.eventId, t.endpointId),
    // The dispatcher: due attempts, oldest first.
    index("deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.nextAttemptAt} is not null`),
    // In flight (dispatched, not yet reported): each endpoint's window, and the stuck scan.
    index("deliveries_in_flight_idx")
      .on(t.endpointId, t.dispatchedAt)
      .where(sql`${t.status} = 'sending' and ${t.nextAttemptAt} is null`),
    // Lists, recovery and health per endpoint.
    index("deliveries_endpoint_idx").on(t.endpointId, t.status, t.createdAt),
    // Metrics: counts by status, oldest undelivered.
    index("deliveries_status_idx").on(t.status, t.createdAt),
  ],
);

/** One row per HTTP attempt a worker reported; `id` is the report's attemptId. */
export const attempts = pgTable(
  "attempts",
  {
    id: text().primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    attemptNumber: integer("attempt_number").notNull(),
    trigger: text().$type<"scheduled" | "manual">().notNull().default("scheduled"),
    startedAt: text("started_at").notNull(),
    durationMs: doublePrecision("duration_ms").notNull(),
    outcome: text().$type<"delivered" | "failed">().notNull(),
    statusCode: integer("status_code"),
    errorClass: text("error_class").$type<DeliveryErrorClass>(),
    error: text(),
    retryAfterMs: integer("retry_after_ms"),
    responseHeaders: json("response_headers").$type<Record<string, string>>().notNull().default({}),
    /** Truncated to 20 KB by the worker. */
    responseBody: text("response_body"),
    /** When the insurer scheduled the next attempt after this one; null if none. */
    nextAttemptAt: text("next_attempt_at"),
  },
  (t) => [index("attempts_delivery_idx").on(t.deliveryId)],
);

/**
 * The first result of a creating call made with an `Idempotency-Key` header
 * (domain/idempotency.ts): a repeat within the TTL gets `response` back. A row is
 * "in_progress" while the first call runs; failed calls leave no row.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** Who called: "clinic:<clinicId>" or "insurer". */
    scope: text().notNull(),
    /** The tRPC path, e.g. `claims.submit`. */
    procedure: text().notNull(),
    key: text().notNull(),
    /** sha256 (hex) of the canonical JSON of the request's input. */
    requestHash: text("request_hash").notNull(),
    status: text().$type<"in_progress" | "completed">().notNull(),
    /** The procedure's output as JSON; null while in progress. */
    response: text(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_unique").on(t.scope, t.procedure, t.key),
    // The lazy sweep of expired rows.
    index("idempotency_keys_created_idx").on(t.createdAt),
  ],
);

/**
 * The API's per-key request rate when several insurer processes share the database:
 * one row per API key, the key's theoretical arrival time (GCRA, equivalent to a token
 * bucket), taken and moved on by one upsert per request (domain/rate-limiter.ts). A
 * single SQLite process keeps its buckets in memory and leaves this table empty.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  /** Milliseconds since the epoch at which the key's bucket is full again. */
  tat: doublePrecision().notNull(),
});
