import { z } from "zod";
import { ClinicReferenceSchema, ReasonCodeSchema, TimestampSchema } from "./claim.ts";
import { type ClaimStatus, ClaimStatusSchema } from "./claim-status.ts";
import { ClaimStatusSummarySchema } from "./claim-status-summary.ts";
import { ClaimIdSchema, ClinicIdSchema, EndpointIdSchema } from "./ids.ts";
import { MoneySchema } from "./money.ts";
import { OPERATIONAL_EVENT_SCHEMA_LIST, OPERATIONAL_EVENT_SCHEMAS } from "./operational-events.ts";

/**
 * One event type per status change. Every event carries the claim's full current
 * status summary (`summary`, beside the fields its status adds), so a receiver that
 * misses one can still apply the next one, and a per-claim `version` so a late or
 * repeated event never overwrites a newer status.
 */
export const CLAIM_EVENT_TYPE_BY_STATUS = {
  submitted: "claim.submitted",
  in_review: "claim.in_review",
  needs_info: "claim.info_requested",
  approved: "claim.approved",
  partially_approved: "claim.partially_approved",
  rejected: "claim.rejected",
  paid: "claim.paid",
  withdrawn: "claim.withdrawn",
} as const satisfies Record<ClaimStatus, string>;

const claimEventBase = {
  claimId: ClaimIdSchema,
  clinicId: ClinicIdSchema,
  clinicReference: ClinicReferenceSchema,
  previousStatus: ClaimStatusSchema.nullable(),
  version: z.number().int().min(1),
  total: MoneySchema,
  decisionDueAt: TimestampSchema,
  // Optional only so that events written before it was added still parse; the insurer
  // sends it with every claim event.
  summary: ClaimStatusSummarySchema.optional(),
};

const reasonCodes = z.array(ReasonCodeSchema).min(1);

function claimEvent<
  const S extends ClaimStatus,
  const T extends (typeof CLAIM_EVENT_TYPE_BY_STATUS)[S],
  D extends z.ZodRawShape,
>(status: S, type: T, extra: D, description: string) {
  return z
    .object({
      type: z.literal(type),
      timestamp: TimestampSchema,
      data: z.object({ ...claimEventBase, status: z.literal(status), ...extra }),
    })
    .describe(description);
}

export const ClaimSubmittedEventSchema = claimEvent(
  "submitted",
  "claim.submitted",
  {},
  "The insurer registered a new claim; the decision deadline starts.",
);
export const ClaimInReviewEventSchema = claimEvent(
  "in_review",
  "claim.in_review",
  {},
  "An adjudicator (or the auto-adjudicator) is reviewing the claim.",
);
export const ClaimInfoRequestedEventSchema = claimEvent(
  "needs_info",
  "claim.info_requested",
  { reasonCodes },
  "The insurer needs more information; reason codes say what.",
);
export const ClaimApprovedEventSchema = claimEvent(
  "approved",
  "claim.approved",
  { approvedAmount: MoneySchema },
  "The claim was approved in full.",
);
export const ClaimPartiallyApprovedEventSchema = claimEvent(
  "partially_approved",
  "claim.partially_approved",
  { approvedAmount: MoneySchema, reasonCodes },
  "Part of the claimed amount was approved; reason codes explain the rest.",
);
export const ClaimRejectedEventSchema = claimEvent(
  "rejected",
  "claim.rejected",
  { reasonCodes },
  "The claim was rejected; reason codes explain why.",
);
export const ClaimPaidEventSchema = claimEvent(
  "paid",
  "claim.paid",
  { paidAmount: MoneySchema, paymentReference: z.string().min(1).max(64) },
  "The approved amount was paid out.",
);
export const ClaimWithdrawnEventSchema = claimEvent(
  "withdrawn",
  "claim.withdrawn",
  {},
  "The clinic withdrew the claim before a decision.",
);

// ── operational events ───────────────────────────────────────────────────────────

/** Why an endpoint was disabled: it answered 410 Gone, it kept failing, or someone asked. */
export const EndpointDisabledReasonSchema = z.enum(["gone", "failing", "manual"]);
export type EndpointDisabledReason = z.infer<typeof EndpointDisabledReasonSchema>;

/**
 * Not a claim event: an operational notice to the clinic that one of its endpoints was
 * disabled, delivered to its other enabled endpoints subscribed to it (and kept in its
 * event feed). It has no claim id and no version.
 */
export const EndpointDisabledEventSchema = z
  .object({
    type: z.literal("endpoint.disabled"),
    timestamp: TimestampSchema,
    data: z.object({
      endpointId: EndpointIdSchema,
      clinicId: ClinicIdSchema,
      url: z.string(),
      reason: EndpointDisabledReasonSchema,
      /** When the run of failures that led here began; null when disabled on the first one. */
      failingSince: TimestampSchema.nullable(),
      disabledAt: TimestampSchema,
    }),
  })
  .describe(
    "An endpoint of the clinic was disabled (410 Gone, failing continuously, or by request); re-enable it explicitly, then recover what failed.",
  );

/**
 * Not a claim event: a test the clinic (or staff) asked for with `endpoints.sendTest`,
 * delivered to that one endpoint only, whatever event types it subscribes to. It changes
 * nothing; a receiver acknowledges it like any other webhook (2xx after verifying).
 */
export const WebhookTestEventSchema = z
  .object({
    type: z.literal("webhook.test"),
    timestamp: TimestampSchema,
    data: z.object({
      endpointId: EndpointIdSchema,
      clinicId: ClinicIdSchema,
      /** When the test was asked for. */
      requestedAt: TimestampSchema,
    }),
  })
  .describe(
    "A test webhook sent on request (endpoints.sendTest) to one endpoint only, whatever its event types; it changes nothing.",
  );

/** The claim events only: every one of them carries a claim id and a per-claim version. */
export const ClaimEventSchema = z.discriminatedUnion("type", [
  ClaimSubmittedEventSchema,
  ClaimInReviewEventSchema,
  ClaimInfoRequestedEventSchema,
  ClaimApprovedEventSchema,
  ClaimPartiallyApprovedEventSchema,
  ClaimRejectedEventSchema,
  ClaimPaidEventSchema,
  ClaimWithdrawnEventSchema,
]);
export type ClaimEvent = z.infer<typeof ClaimEventSchema>;
export type ClaimEventType = ClaimEvent["type"];

/** The webhook body: Standard Webhooks' `{ type, timestamp, data }`, discriminated on `type`. */
export const WebhookEventSchema = z.discriminatedUnion("type", [
  ...ClaimEventSchema.options,
  EndpointDisabledEventSchema,
  WebhookTestEventSchema,
  ...OPERATIONAL_EVENT_SCHEMA_LIST,
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
export type WebhookEventType = WebhookEvent["type"];

export const WEBHOOK_EVENT_SCHEMAS = {
  "claim.submitted": ClaimSubmittedEventSchema,
  "claim.in_review": ClaimInReviewEventSchema,
  "claim.info_requested": ClaimInfoRequestedEventSchema,
  "claim.approved": ClaimApprovedEventSchema,
  "claim.partially_approved": ClaimPartiallyApprovedEventSchema,
  "claim.rejected": ClaimRejectedEventSchema,
  "claim.paid": ClaimPaidEventSchema,
  "claim.withdrawn": ClaimWithdrawnEventSchema,
  "endpoint.disabled": EndpointDisabledEventSchema,
  "webhook.test": WebhookTestEventSchema,
  ...OPERATIONAL_EVENT_SCHEMAS,
} as const satisfies { [T in WebhookEventType]: z.ZodType };

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_SCHEMAS) as WebhookEventType[];
export const WebhookEventTypeSchema = z.enum(
  WEBHOOK_EVENT_TYPES as [WebhookEventType, ...WebhookEventType[]],
);

export const CLAIM_EVENT_TYPES = Object.values(CLAIM_EVENT_TYPE_BY_STATUS) as ClaimEventType[];

/**
 * Narrows an event to a claim event: code that applies claim changes checks this first,
 * so an operational event (`endpoint.disabled`, `webhook.test`) never reaches it.
 *
 * @example
 * if (isClaimEvent(event)) applyClaimChange(event.data.claimId, event.data.version);
 */
export function isClaimEvent(event: WebhookEvent): event is ClaimEvent {
  return event.type.startsWith("claim.");
}

export function eventTypeForStatus(status: ClaimStatus): ClaimEventType {
  return CLAIM_EVENT_TYPE_BY_STATUS[status];
}
