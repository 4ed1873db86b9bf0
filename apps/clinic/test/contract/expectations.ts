/**
 * What the clinic reads from the insurer's webhooks and API responses — its side of the
 * contract, in its own words: literal enums for what it switches over,
 * plain strings for what it only stores or shows, open objects everywhere (fields it does
 * not read never matter). Keep this in step with the code it cites; the contract pipeline
 * checks every producer example, every event the insurer really emits, and the producer's
 * generated JSON Schemas against it (docs/contracts.md).
 *
 * Beyond these reads, the receiver and the processor also read every body with the
 * contracts' `readWebhookEvent`: a known type must meet its full schema (a released clinic
 * holds the released schemas, which is what the breaking-change gate protects); a type it
 * does not know is stored and ignored, and fields it does not know are dropped
 * (receiver.ts feeds it both, check (c)).
 */
import { WEBHOOK_EVENT_TYPES } from "@claimwire/contracts";
import type { ConsumerExpectations } from "@claimwire/contracts/compat";
import { z } from "zod";

/** The statuses the clinic handles (patient-message.ts and patient-status.ts switch over them). */
const ClaimStatus = z.enum([
  "submitted",
  "in_review",
  "needs_info",
  "approved",
  "partially_approved",
  "rejected",
  "paid",
  "withdrawn",
]);

/** Amounts are stored as integer minor units (db/schema.ts `integer` columns). */
const Amount = z.object({ amount: z.number().int() });
const Money = z.object({ amount: z.number().int(), currency: z.string() });

/**
 * Read from every event it receives: receiver/webhook-receiver.ts stores `type` in the
 * inbox and checks `isClaimEvent` (a `claim.` type); an operational event's `data` is only
 * logged (processor/inbox-processor.ts), so nothing more is read from it.
 */
const EveryEvent = z.object({ type: z.string(), data: z.object({}) });

/**
 * Read from every claim event: the receiver stores `data.claimId` and `data.version`; the
 * processor (claimVersionFromEvent in claims/record-claim-version.ts) reads the claim's
 * fields and stores `data.summary` as it is; an event without a summary (written before it
 * existed) gives the decision fields whenever they are present (`"approvedAmount" in data`).
 */
const ClaimEvent = z.object({
  type: z.string(),
  // The status change's time: stored as the claim's updatedAt (sorted as ISO text).
  timestamp: z.iso.datetime(),
  data: z.object({
    claimId: z.string(),
    clinicReference: z.string(),
    status: ClaimStatus,
    version: z.number().int().min(1),
    total: Money,
    // claims/decision-deadline.ts counts business days to it; the web app shows its date part.
    decisionDueAt: z.iso.datetime(),
    approvedAmount: Amount.optional(),
    paidAmount: Amount.optional(),
    reasonCodes: z.array(z.string()).optional(),
    paymentReference: z.string().optional(),
    summary: z
      .object({
        approvedAmount: Amount.nullable(),
        paidAmount: Amount.nullable(),
        reasonCodes: z.array(z.string()),
        paymentReference: z.string().nullable(),
      })
      .optional(),
  }),
});

/** A claim event with the decision fields the clinic shows for it (claims page, patient message). */
const claimEventWith = (data: z.ZodRawShape) =>
  ClaimEvent.extend({ data: ClaimEvent.shape.data.extend(data) });

/** Which types the clinic applies as claim events: `isClaimEvent`'s rule, a `claim.` type. */
const CLAIM_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith("claim."));

export const clinicExpectations = {
  consumer: "clinic",
  // registration/ensure-endpoint.ts subscribes the clinic's endpoint to every type.
  receives: WEBHOOK_EVENT_TYPES,
  everyEvent: EveryEvent,
  events: {
    ...Object.fromEntries(CLAIM_EVENT_TYPES.map((type) => [type, ClaimEvent])),
    "claim.info_requested": claimEventWith({ reasonCodes: z.array(z.string()) }),
    "claim.approved": claimEventWith({ approvedAmount: Amount }),
    "claim.partially_approved": claimEventWith({
      approvedAmount: Amount,
      reasonCodes: z.array(z.string()),
    }),
    "claim.rejected": claimEventWith({ reasonCodes: z.array(z.string()) }),
    "claim.paid": claimEventWith({ paidAmount: Amount, paymentReference: z.string() }),
  },
  responses: {
    // claims/submit-claim.ts → claimVersionFromClaim (claims/record-claim-version.ts).
    "claims.submit": {
      artefact: "Claim",
      reads: z.object({
        id: z.string(),
        clinicReference: z.string(),
        status: ClaimStatus,
        version: z.number().int().min(1),
        total: Money,
        decisionDueAt: z.iso.datetime(),
        updatedAt: z.iso.datetime(),
        patientRef: z.string(),
        submittedAt: z.string(),
        approvedAmount: Amount.nullable(),
        reasonCodes: z.array(z.string()),
        paymentReference: z.string().nullable(),
      }),
    },
    // registration/ensure-endpoint.ts: finds its endpoint and whether it is still enabled.
    "endpoints.list": {
      artefact: "Endpoint",
      list: true,
      reads: z.object({ id: z.string(), url: z.string(), enabled: z.boolean() }),
    },
    // registration/ensure-endpoint.ts: stores the id and the key it verifies with.
    "endpoints.create": {
      artefact: "CreateEndpointOutput",
      reads: z.object({ id: z.string(), secret: z.string() }),
    },
    // reconciliation/feed-reconciler.ts pages with the cursor and `hasMore`, and checks
    // each event's age; store-feed-event.ts stores `id` as the webhook-id and `data` as the
    // webhook body, which the processor then reads as it reads a webhook (`events` above).
    "events.list": {
      artefact: "EventPage",
      reads: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            type: z.string(),
            occurredAt: z.iso.datetime(),
            data: EveryEvent,
          }),
        ),
        nextCursor: z.string().nullable(),
        hasMore: z.boolean(),
      }),
    },
  },
} satisfies ConsumerExpectations;
