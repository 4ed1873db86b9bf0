import {
  type Claim,
  type ClaimStatus,
  type ClaimStatusSummary,
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
  const summary = statusSummary(claim);
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
      ...statusFields(claim.status, summary),
      summary,
    },
  });
}

/** The claim's decision fields as they stand after this change (every claim event). */
function statusSummary(claim: Claim): ClaimStatusSummary {
  return {
    approvedAmount: claim.approvedAmount,
    // A claim is paid its approved amount.
    paidAmount: claim.status === "paid" ? claim.approvedAmount : null,
    reasonCodes: claim.reasonCodes,
    paymentReference: claim.paymentReference,
  };
}

/** The summary fields each status's event also carries at the top of `data` (contracts). */
function statusFields(status: ClaimStatus, s: ClaimStatusSummary): Partial<ClaimStatusSummary> {
  switch (status) {
    case "needs_info":
    case "rejected":
      return { reasonCodes: s.reasonCodes };
    case "approved":
      return { approvedAmount: s.approvedAmount };
    case "partially_approved":
      return { approvedAmount: s.approvedAmount, reasonCodes: s.reasonCodes };
    case "paid":
      return { paidAmount: s.paidAmount, paymentReference: s.paymentReference };
    default:
      return {};
  }
}
