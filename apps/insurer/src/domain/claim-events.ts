import {
  type Claim,
  type ClaimStatus,
  eventTypeForStatus,
  type WebhookEvent,
  WebhookEventSchema,
} from "@claimwire/contracts";

/**
 * Builds the webhook event for a claim that just reached its current status. It is
 * parsed with the shared WebhookEventSchema before it is written, so a drift between
 * the claim model and the contract fails here, in the insurer's transaction, and not in
 * some clinic's webhook handler.
 */
export function buildClaimEvent(claim: Claim, previousStatus: ClaimStatus | null): WebhookEvent {
  return WebhookEventSchema.parse({
    type: eventTypeForStatus(claim.status),
    timestamp: claim.updatedAt,
    data: {
      claimId: claim.id,
      clinicId: claim.clinicId,
      clinicReference: claim.clinicReference,
      status: claim.status,
      previousStatus,
      version: claim.version,
      total: claim.total,
      decisionDueAt: claim.decisionDueAt,
      ...statusDetails(claim),
    },
  });
}

/** The fields each status adds to the common ones (see contracts/src/webhook-events.ts). */
function statusDetails(claim: Claim): Record<string, unknown> {
  switch (claim.status) {
    case "needs_info":
    case "rejected":
      return { reasonCodes: claim.reasonCodes };
    case "approved":
      return { approvedAmount: claim.approvedAmount };
    case "partially_approved":
      return { approvedAmount: claim.approvedAmount, reasonCodes: claim.reasonCodes };
    case "paid":
      return { paidAmount: claim.approvedAmount, paymentReference: claim.paymentReference };
    default:
      return {};
  }
}
