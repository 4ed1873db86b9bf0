import { z } from "zod";
import {
  ClaimSchema,
  ClinicReferenceSchema,
  PatientRefSchema,
  PolicyNumberSchema,
  ReasonCodeSchema,
  ServiceLineSchema,
  TimestampSchema,
} from "./claim.ts";
import { DeliveryErrorClassSchema } from "./delivery-error-class.ts";
import { EndpointHeadersSchema, EndpointRateLimitSchema } from "./endpoint-headers.ts";
import {
  AttemptIdSchema,
  ClaimIdSchema,
  ClinicIdSchema,
  DeliveryIdSchema,
  EndpointIdSchema,
  EventIdSchema,
  idSchema,
} from "./ids.ts";
import { CurrencySchema, MinorUnitsSchema } from "./money.ts";
import { PayloadFilterSchema, storedPayloadFilter } from "./payload-filter.ts";
import {
  EndpointDisabledReasonSchema,
  WEBHOOK_EVENT_TYPES,
  WebhookEventSchema,
  WebhookEventTypeSchema,
} from "./webhook-events.ts";

// ── claims ────────────────────────────────────────────────────────────────────────

export const SubmitClaimInputSchema = z.object({
  clinicReference: ClinicReferenceSchema,
  patientRef: PatientRefSchema,
  policyNumber: PolicyNumberSchema,
  currency: CurrencySchema,
  serviceLines: z.array(ServiceLineSchema).min(1).max(50),
});
export type SubmitClaimInput = z.infer<typeof SubmitClaimInputSchema>;

export const ClaimByIdInputSchema = z.object({ claimId: ClaimIdSchema });

/** The paging fields of every cursor-paged list (claims, deliveries). */
const PageInputShape = {
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
};

/** One page of a cursor-paged list: its items and where the next page starts (null: none). */
const pageOf = <Item extends z.ZodType>(item: Item) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const ListClaimsInputSchema = z.object(PageInputShape);
export type ListClaimsInput = z.input<typeof ListClaimsInputSchema>;

export const ClaimPageSchema = pageOf(ClaimSchema);
export type ClaimPage = z.infer<typeof ClaimPageSchema>;

/** What insurer staff may decide; the fields each decision needs come with it. */
export const DecideClaimInputSchema = z.discriminatedUnion("to", [
  z.object({ claimId: ClaimIdSchema, to: z.literal("in_review") }),
  z.object({
    claimId: ClaimIdSchema,
    to: z.literal("needs_info"),
    reasonCodes: z.array(ReasonCodeSchema).min(1),
  }),
  z.object({
    claimId: ClaimIdSchema,
    to: z.literal("approved"),
  }),
  z.object({
    claimId: ClaimIdSchema,
    to: z.literal("partially_approved"),
    approvedAmount: MinorUnitsSchema,
    reasonCodes: z.array(ReasonCodeSchema).min(1),
  }),
  z.object({
    claimId: ClaimIdSchema,
    to: z.literal("rejected"),
    reasonCodes: z.array(ReasonCodeSchema).min(1),
  }),
  z.object({
    claimId: ClaimIdSchema,
    to: z.literal("paid"),
    paymentReference: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  }),
]);
export type DecideClaimInput = z.infer<typeof DecideClaimInputSchema>;

export const QueueInputSchema = z.object({
  limit: z.number().int().min(1).max(500).default(100),
});

// ── event type filters (endpoint subscriptions and the event feed) ─────────────────

/**
 * The shape of an event type filter: an event type (`claim.approved`), a dotted prefix
 * followed by `*` (`claim.*`: every type starting with `claim.`), or `*` (every type).
 */
export const EVENT_TYPE_FILTER_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$/;

/**
 * Whether `type` is selected by `filter` (see EVENT_TYPE_FILTER_PATTERN). A wildcard
 * matches every later version too (`claim.*` matches `claim.approved.v2`).
 *
 * @example
 * matchesEventTypeFilter("claim.*", "claim.paid"); // true
 * matchesEventTypeFilter("claim.paid", "claim.paid.v2"); // false
 */
export function matchesEventTypeFilter(filter: string, type: string): boolean {
  if (filter === "*") return true;
  if (filter.endsWith(".*")) return type.startsWith(filter.slice(0, -1));
  return type === filter;
}

/** One entry of `types`: it must select at least one event type the insurer sends. */
export const EventTypeFilterSchema = z
  .string()
  .max(100)
  .regex(EVENT_TYPE_FILTER_PATTERN, {
    error: "must be an event type like 'claim.paid' or a wildcard like 'claim.*'",
    abort: true,
  })
  .refine((filter) => WEBHOOK_EVENT_TYPES.some((type) => matchesEventTypeFilter(filter, type)), {
    error: (issue) => `'${String(issue.input)}' matches no event type`,
  });

// ── endpoints (webhook subscriptions) ────────────────────────────────────────────

/**
 * Scheme-level check only (http or https). Whether plain http is accepted is the
 * insurer's setting (https is required unless ENDPOINT_ALLOW_HTTP=true), checked there.
 */
export const EndpointUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(2048);

/**
 * How an endpoint's webhooks are signed: `hmac-sha256` (Standard Webhooks `v1`, a shared
 * `whsec_` secret) or `ed25519` (`v1a`: the insurer keeps the `whsk_` key and the clinic
 * verifies with the `whpk_` public key, so the clinic holds nothing that can sign).
 */
export const SignatureSchemeSchema = z.enum(["hmac-sha256", "ed25519"]);
export type SignatureScheme = z.infer<typeof SignatureSchemeSchema>;

/** What the clinic verifies with: an HMAC secret `whsec_…` or an ed25519 public key `whpk_…`. */
export const EndpointVerificationKeySchema = z
  .string()
  .regex(/^(whsec_|whpk_)\S+$/, "must be a 'whsec_…' secret or a 'whpk_…' public key");

/**
 * What an endpoint subscribes to: event types and wildcards (`claim.*`, `*`), each of
 * which must select at least one event type (EventTypeFilterSchema). A wildcard also
 * selects event types added later.
 */
export const EndpointEventTypesSchema = z.array(EventTypeFilterSchema).min(1);

export const CreateEndpointInputSchema = z.object({
  url: EndpointUrlSchema,
  eventTypes: EndpointEventTypesSchema,
  description: z.string().max(500).default(""),
  signatureScheme: SignatureSchemeSchema.default("hmac-sha256"),
  /** Sent with every attempt; the signature headers always win (endpoint-headers.ts). */
  headers: EndpointHeadersSchema.default({}),
  /** Requests per second this endpoint accepts at most; omitted or null: no limit. */
  rateLimitPerSecond: EndpointRateLimitSchema.nullable().default(null),
  /**
   * Only events whose body matches this MongoDB-style query are delivered (payload-filter.ts);
   * omitted, null or `{}`: every event of its types.
   */
  payloadFilter: PayloadFilterSchema.nullable().default(null),
});
export type CreateEndpointInput = z.input<typeof CreateEndpointInputSchema>;

export const EndpointSchema = z.object({
  id: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  url: z.string(),
  /** Event types and wildcards (`claim.*`, `*`) as subscribed. */
  eventTypes: z.array(z.string()),
  description: z.string(),
  signatureScheme: SignatureSchemeSchema,
  headers: z.record(z.string(), z.string()),
  rateLimitPerSecond: z.number().int().nullable(),
  /** The body filter events must match beside their type; null: none. */
  payloadFilter: storedPayloadFilter().nullable(),
  enabled: z.boolean(),
  /** Set while disabled: "gone" (410), "failing" (continuously), or "manual". */
  disabledReason: EndpointDisabledReasonSchema.nullable(),
  disabledAt: TimestampSchema.nullable(),
  /** Start of the current run of failed attempts; null while the endpoint is healthy. */
  failingSince: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Endpoint = z.infer<typeof EndpointSchema>;

/**
 * The verification key is returned here (and by rotateSecret), once, and never again:
 * the `whsec_` secret for hmac-sha256, the `whpk_` public key for ed25519.
 */
export const CreateEndpointOutputSchema = EndpointSchema.extend({
  secret: EndpointVerificationKeySchema,
});
export type CreateEndpointOutput = z.infer<typeof CreateEndpointOutputSchema>;

export const EndpointByIdInputSchema = z.object({ endpointId: EndpointIdSchema });

/** Changes what is given; the URL is validated as on create. */
export const UpdateEndpointInputSchema = z
  .object({
    endpointId: EndpointIdSchema,
    url: EndpointUrlSchema.optional(),
    eventTypes: EndpointEventTypesSchema.optional(),
    description: z.string().max(500).optional(),
    /** Replaces every custom header; `{}` removes them all. */
    headers: EndpointHeadersSchema.optional(),
    /** `null` removes the limit. */
    rateLimitPerSecond: EndpointRateLimitSchema.nullable().optional(),
    /** Replaces the payload filter; `null` (or `{}`) removes it. */
    payloadFilter: PayloadFilterSchema.nullable().optional(),
  })
  .refine(
    (input) =>
      input.url !== undefined ||
      input.eventTypes !== undefined ||
      input.description !== undefined ||
      input.headers !== undefined ||
      input.rateLimitPerSecond !== undefined ||
      input.payloadFilter !== undefined,
    {
      error:
        "give at least one of url, eventTypes, description, headers, rateLimitPerSecond, payloadFilter",
    },
  );
export type UpdateEndpointInput = z.input<typeof UpdateEndpointInputSchema>;

export const DeleteEndpointOutputSchema = z.object({ id: EndpointIdSchema });

/**
 * A new verification key. The previous signing key keeps signing beside the new one
 * (two signatures in `webhook-signature`) until `previousSecretExpiresAt`, so the clinic
 * can switch without losing a webhook.
 */
export const RotateSecretOutputSchema = z.object({
  endpointId: EndpointIdSchema,
  signatureScheme: SignatureSchemeSchema,
  secret: EndpointVerificationKeySchema,
  previousSecretExpiresAt: TimestampSchema,
});
export type RotateSecretOutput = z.infer<typeof RotateSecretOutputSchema>;

/** Re-queues every failed delivery of the endpoint created in [since, until). */
export const RecoverEndpointInputSchema = z
  .object({
    endpointId: EndpointIdSchema,
    since: TimestampSchema,
    /** Defaults to now. */
    until: TimestampSchema.optional(),
  })
  .refine((input) => input.until === undefined || input.since < input.until, {
    error: "since must be before until",
    path: ["until"],
  });
export type RecoverEndpointInput = z.input<typeof RecoverEndpointInputSchema>;

export const RecoverEndpointOutputSchema = z.object({
  endpointId: EndpointIdSchema,
  /** Failed deliveries re-queued. */
  count: z.number().int().nonnegative(),
});

/** The test webhook `endpoints.sendTest` queued: its event and its delivery to the endpoint. */
export const SendTestOutputSchema = z.object({
  eventId: EventIdSchema,
  deliveryId: DeliveryIdSchema,
});
export type SendTestOutput = z.infer<typeof SendTestOutputSchema>;

/**
 * An endpoint's delivery record, from every attempt reported for it (retries and manual
 * attempts included) and its deliveries' current statuses.
 */
export const EndpointStatsSchema = z.object({
  endpointId: EndpointIdSchema,
  attempts: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  /** successes / attempts, 0..1; null before the first attempt. */
  successRate: z.number().min(0).max(1).nullable(),
  lastAttemptAt: TimestampSchema.nullable(),
  lastSuccessAt: TimestampSchema.nullable(),
  /** The latest failed attempt (even if a success came after it); null if none failed. */
  lastError: z
    .object({
      at: TimestampSchema,
      message: z.string(),
      statusCode: z.number().int().nullable(),
    })
    .nullable(),
  deliveries: z.object({
    /** Not settled yet: "sending" or "retrying". */
    pending: z.number().int().nonnegative(),
    delivered: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
  }),
});
export type EndpointStats = z.infer<typeof EndpointStatsSchema>;

// ── delivery charts (the console's pictures) ───────────────────────────────────────

/**
 * The attempts that started in one time bucket, by what came of them: `succeeded` (a 2xx),
 * `retried` (failed, and a retry was scheduled), `failed` (failed with no retry after it:
 * the schedule was used up, the endpoint is disabled, or it was a manual attempt).
 */
export const OutcomeBucketSchema = z.object({
  /** The bucket's first instant (UTC); it lasts until the next bucket's `start`. */
  start: TimestampSchema,
  succeeded: z.number().int().nonnegative(),
  retried: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type OutcomeBucket = z.infer<typeof OutcomeBucketSchema>;

/** Attempts that took from `minMs` (inclusive) to `maxMs` (exclusive; null: no bound). */
export const LatencyBucketSchema = z.object({
  minMs: z.number().nonnegative(),
  maxMs: z.number().positive().nullable(),
  attempts: z.number().int().nonnegative(),
});
export type LatencyBucket = z.infer<typeof LatencyBucketSchema>;

/**
 * An endpoint's attempts over time: per hour for the last 48 hours and per UTC day for
 * the last 30 days (oldest first, the current, unfinished bucket last, empty buckets
 * included), and how long its attempts of the last 30 days took.
 */
export const EndpointDeliveryStatsSchema = z.object({
  endpointId: EndpointIdSchema,
  /** When the figures were read. */
  asOf: TimestampSchema,
  hourly: z.array(OutcomeBucketSchema),
  daily: z.array(OutcomeBucketSchema),
  /** Attempt durations since `daily[0].start`, in fixed buckets, shortest first. */
  latency: z.array(LatencyBucketSchema),
});
export type EndpointDeliveryStats = z.infer<typeof EndpointDeliveryStatsSchema>;

/** An endpoint named in the staff overview, with the clinic it belongs to. */
export const OverviewEndpointSchema = z.object({
  id: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  url: z.string(),
  /** When its current run of failed attempts began; null if it is not failing. */
  failingSince: TimestampSchema.nullable(),
  disabledReason: EndpointDisabledReasonSchema.nullable(),
  disabledAt: TimestampSchema.nullable(),
});
export type OverviewEndpoint = z.infer<typeof OverviewEndpointSchema>;

/** A count of endpoints and the first of them (at most 20, longest in that state first). */
export const OverviewEndpointGroupSchema = z.object({
  count: z.number().int().nonnegative(),
  endpoints: z.array(OverviewEndpointSchema),
});

/**
 * Staff's picture of delivery across every clinic: attempts per minute for the last hour
 * (oldest first, the current minute last), the enabled endpoints that are failing and the
 * disabled ones, and the oldest delivery not yet delivered (sending or waiting for a retry).
 */
export const OpsOverviewSchema = z.object({
  asOf: TimestampSchema,
  perMinute: z.array(OutcomeBucketSchema),
  failingEndpoints: OverviewEndpointGroupSchema,
  disabledEndpoints: OverviewEndpointGroupSchema,
  oldestUndelivered: z
    .object({
      deliveryId: DeliveryIdSchema,
      endpointId: EndpointIdSchema,
      createdAt: TimestampSchema,
      ageMs: z.number().nonnegative(),
    })
    .nullable(),
});
export type OpsOverview = z.infer<typeof OpsOverviewSchema>;

// ── deliveries (one event × one endpoint) and their attempts ───────────────────────

/**
 * `sending`: an attempt is queued or in flight; `retrying`: waiting for `nextAttemptAt`;
 * `delivered`: a 2xx was received (never undone); `failed`: dead-lettered after the last
 * scheduled attempt, or because the endpoint is disabled (resend/recover re-queue it).
 */
export const DeliveryStatusSchema = z.enum(["sending", "retrying", "delivered", "failed"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const DeliveryTriggerSchema = z.enum(["scheduled", "manual"]);

export const DeliverySchema = z.object({
  id: DeliveryIdSchema,
  /** Sent as `webhook-id` on every attempt, retry and replay. */
  eventId: EventIdSchema,
  endpointId: EndpointIdSchema,
  eventType: WebhookEventTypeSchema,
  status: DeliveryStatusSchema,
  /** The number of the latest attempt dispatched (0 before the first). */
  attemptCount: z.number().int().nonnegative(),
  lastStatusCode: z.number().int().nullable(),
  lastErrorClass: DeliveryErrorClassSchema.nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: TimestampSchema.nullable(),
  deliveredAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
});
export type Delivery = z.infer<typeof DeliverySchema>;

export const ListDeliveriesInputSchema = z.object({
  endpointId: EndpointIdSchema,
  status: DeliveryStatusSchema.optional(),
  ...PageInputShape,
});
export type ListDeliveriesInput = z.input<typeof ListDeliveriesInputSchema>;

/** Newest first. */
export const DeliveryPageSchema = pageOf(DeliverySchema);
export type DeliveryPage = z.infer<typeof DeliveryPageSchema>;

export const DeliveryByIdInputSchema = z.object({ deliveryId: DeliveryIdSchema });

export const DeliveryAttemptSchema = z.object({
  id: AttemptIdSchema,
  deliveryId: DeliveryIdSchema,
  attemptNumber: z.number().int().min(1),
  trigger: DeliveryTriggerSchema,
  startedAt: TimestampSchema,
  durationMs: z.number().nonnegative(),
  outcome: z.enum(["delivered", "failed"]),
  statusCode: z.number().int().nullable(),
  errorClass: DeliveryErrorClassSchema.nullable(),
  error: z.string().nullable(),
  /** The endpoint's Retry-After, as asked (the delay used is clamped; see nextAttemptAt). */
  retryAfterMs: z.number().int().nonnegative().nullable(),
  /** The response headers that matter, lower-case names. */
  responseHeaders: z.record(z.string(), z.string()),
  /** The response body, truncated to 20 KB. */
  responseBody: z.string().nullable(),
  /** When the next attempt was scheduled after this one; null if none was. */
  nextAttemptAt: TimestampSchema.nullable(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttemptSchema>;

/** Oldest attempt first. */
export const DeliveryAttemptsOutputSchema = z.array(DeliveryAttemptSchema);

// ── clinics (insurer staff) ──────────────────────────────────────────────────────

export const ClinicSchema = z.object({
  id: ClinicIdSchema,
  name: z.string(),
  createdAt: TimestampSchema,
});
export type Clinic = z.infer<typeof ClinicSchema>;

export const CreateClinicInputSchema = z.object({ name: z.string().trim().min(1).max(200) });

/** The API key is returned here, once; the insurer stores only its hash. */
export const CreateClinicOutputSchema = z.object({ clinic: ClinicSchema, apiKey: z.string() });

/** Every clinic, oldest first (staff). */
export const ClinicListSchema = z.array(ClinicSchema);

export const WhoAmIOutputSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("clinic"), clinicId: ClinicIdSchema }),
  z.object({ role: z.literal("insurer") }),
]);

// ── events (the feed: polling and long polling over a clinic's event log) ──────────

/** The position in the feed a page ends at, from a previous page's `nextCursor`. */
const FeedCursorSchema = z.string().min(1).max(200);

export const ListEventsInputSchema = z.object({
  /** Opaque cursor from a previous page's `nextCursor`; omitted, the feed starts at its oldest event. */
  after: FeedCursorSchema.optional(),
  /** Only these event types (wildcards allowed); omitted, every type. */
  types: z.array(EventTypeFilterSchema).min(1).max(50).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /**
   * Insurer staff: one clinic's feed (omitted: every clinic's). A clinic key sees only its
   * own feed, whatever this says (another clinic's id is NOT_FOUND).
   */
  clinicId: ClinicIdSchema.optional(),
});
export type ListEventsInput = z.input<typeof ListEventsInputSchema>;

/** The longest a long poll is held open, in milliseconds. */
export const MAX_EVENTS_WAIT_MS = 30_000;

export const WaitEventsInputSchema = ListEventsInputSchema.extend({
  /** How long to hold the request open when nothing newer than `after` exists yet. */
  timeoutMs: z.number().int().min(0).max(MAX_EVENTS_WAIT_MS).default(25_000),
});
export type WaitEventsInput = z.input<typeof WaitEventsInputSchema>;

/** `events.byId`: one event of the feed, by the id its webhooks carry as `webhook-id`. */
export const EventByIdInputSchema = z.object({ eventId: EventIdSchema });
export type EventByIdInput = z.input<typeof EventByIdInputSchema>;

/** One entry of the feed: an event as committed, with the webhook body it was delivered as. */
export const FeedEventSchema = z.object({
  /** The event id: the `webhook-id` its webhooks carry (dedupe on it across both paths). */
  id: EventIdSchema,
  type: WebhookEventTypeSchema,
  /** When the insurer committed the event. */
  occurredAt: TimestampSchema,
  /** The webhook body `{ type, timestamp, data }`, exactly as delivered to endpoints. */
  data: WebhookEventSchema,
});
export type FeedEvent = z.infer<typeof FeedEventSchema>;

/** Oldest first (commit order). */
export const EventPageSchema = z.object({
  items: z.array(FeedEventSchema),
  /**
   * Where to continue: pass it as `after` next time, also when `items` is empty (it may
   * have moved past events the `types` filter skipped). Null only when the feed has
   * nothing at all for the caller yet and no `after` was given.
   */
  nextCursor: z.string().nullable(),
  /** True when more events are already available after this page: fetch again at once. */
  hasMore: z.boolean(),
});
export type EventPage = z.infer<typeof EventPageSchema>;

// ── event types (the catalog of webhook event types) ─────────────────────────────────

/** One webhook event type: what it means, the JSON Schema of its body, an example body. */
export const EventTypeInfoSchema = z.object({
  type: WebhookEventTypeSchema,
  /** The event schema's description. */
  description: z.string(),
  /**
   * The JSON Schema (draft 2020-12) of the webhook body: `contracts/generated/events/<type>.json`
   * without its generated-file comment.
   */
  schema: z.record(z.string(), z.unknown()),
  /** An example webhook body of this type. */
  example: WebhookEventSchema,
});
export type EventTypeInfo = z.infer<typeof EventTypeInfoSchema>;

/** Every webhook event type, in the contracts' order. */
export const EventTypeCatalogSchema = z.array(EventTypeInfoSchema);
export type EventTypeCatalog = z.infer<typeof EventTypeCatalogSchema>;

// ── API keys (a clinic's own; staff: any clinic's) ───────────────────────────────────

export const ApiKeyIdSchema = idSchema("apiKey");

/** A clinic's API key as listed: never the key nor its hash, only its visible prefix. */
export const ApiKeySchema = z.object({
  id: ApiKeyIdSchema,
  /** The key's first characters (`cw_…`), to tell keys apart. */
  prefix: z.string(),
  name: z.string().nullable(),
  createdAt: TimestampSchema,
  revokedAt: TimestampSchema.nullable(),
  /** When the key was last used (to within a minute); null if never. */
  lastUsedAt: TimestampSchema.nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreateApiKeyInputSchema = z.object({
  /** Staff: the clinic to create the key for (required). A clinic: its own, or omitted. */
  clinicId: ClinicIdSchema.optional(),
  name: z.string().trim().min(1).max(100).optional(),
});
export type CreateApiKeyInput = z.input<typeof CreateApiKeyInputSchema>;

/** The key is returned here, once; the insurer stores only its hash. */
export const CreateApiKeyOutputSchema = z.object({
  id: ApiKeyIdSchema,
  prefix: z.string(),
  apiKey: z.string(),
});
export type CreateApiKeyOutput = z.infer<typeof CreateApiKeyOutputSchema>;

/** Staff: whose keys (required). A clinic: its own, or omitted. */
export const ListApiKeysInputSchema = z.object({ clinicId: ClinicIdSchema.optional() });

/** Oldest first. */
export const ApiKeyListSchema = z.array(ApiKeySchema);

export const RevokeApiKeyInputSchema = z.object({ keyId: ApiKeyIdSchema });

/** Staff: whose endpoints (required). A clinic: its own, or omitted. */
export const ListEndpointsInputSchema = z.object({ clinicId: ClinicIdSchema.optional() });
