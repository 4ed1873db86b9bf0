import { OPERATIONAL_EVENT_EXAMPLES } from "./operational-event-examples.ts";
import type { WebhookEvent, WebhookEventType } from "./webhook-events.ts";

const base = {
  claimId: "clm_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
  clinicId: "cln_01JDQ6Y0000000000000000000",
  clinicReference: "INV-2026-0042",
  total: { amount: 18_500, currency: "EUR" },
  decisionDueAt: "2026-12-25T09:30:00.000Z",
};

const eur = (amount: number) => ({ amount, currency: "EUR" });
/** The claim's decision fields after a status change (ClaimStatusSummarySchema). */
const summary = (fields: {
  approvedAmount?: { amount: number; currency: string };
  paidAmount?: { amount: number; currency: string };
  reasonCodes?: string[];
  paymentReference?: string;
}) => ({
  approvedAmount: fields.approvedAmount ?? null,
  paidAmount: fields.paidAmount ?? null,
  reasonCodes: fields.reasonCodes ?? [],
  paymentReference: fields.paymentReference ?? null,
});

/** One example per event type; each must parse with its schema (tested). */
export const WEBHOOK_EVENT_EXAMPLES = {
  "claim.submitted": {
    type: "claim.submitted",
    timestamp: "2026-11-27T09:30:00.000Z",
    data: { ...base, status: "submitted", previousStatus: null, version: 1, summary: summary({}) },
  },
  "claim.in_review": {
    type: "claim.in_review",
    timestamp: "2026-11-27T09:30:01.000Z",
    data: {
      ...base,
      status: "in_review",
      previousStatus: "submitted",
      version: 2,
      summary: summary({}),
    },
  },
  "claim.info_requested": {
    type: "claim.info_requested",
    timestamp: "2026-11-30T14:00:00.000Z",
    data: {
      ...base,
      status: "needs_info",
      previousStatus: "in_review",
      version: 3,
      reasonCodes: ["MISSING_REFERRAL"],
      summary: summary({ reasonCodes: ["MISSING_REFERRAL"] }),
    },
  },
  "claim.approved": {
    type: "claim.approved",
    timestamp: "2026-12-02T10:15:00.000Z",
    data: {
      ...base,
      status: "approved",
      previousStatus: "in_review",
      version: 3,
      approvedAmount: { amount: 18_500, currency: "EUR" },
      summary: summary({ approvedAmount: eur(18_500) }),
    },
  },
  "claim.partially_approved": {
    type: "claim.partially_approved",
    timestamp: "2026-12-02T10:15:00.000Z",
    data: {
      ...base,
      status: "partially_approved",
      previousStatus: "in_review",
      version: 3,
      approvedAmount: { amount: 12_000, currency: "EUR" },
      reasonCodes: ["EXCEEDS_TARIFF"],
      summary: summary({ approvedAmount: eur(12_000), reasonCodes: ["EXCEEDS_TARIFF"] }),
    },
  },
  "claim.rejected": {
    type: "claim.rejected",
    timestamp: "2026-12-02T10:15:00.000Z",
    data: {
      ...base,
      status: "rejected",
      previousStatus: "in_review",
      version: 3,
      reasonCodes: ["POLICY_INACTIVE"],
      summary: summary({ reasonCodes: ["POLICY_INACTIVE"] }),
    },
  },
  "claim.paid": {
    type: "claim.paid",
    timestamp: "2026-12-04T08:00:00.000Z",
    data: {
      ...base,
      status: "paid",
      previousStatus: "approved",
      version: 4,
      paidAmount: { amount: 18_500, currency: "EUR" },
      paymentReference: "PAY-7781-2026",
      summary: summary({
        approvedAmount: eur(18_500),
        paidAmount: eur(18_500),
        paymentReference: "PAY-7781-2026",
      }),
    },
  },
  "claim.withdrawn": {
    type: "claim.withdrawn",
    timestamp: "2026-11-27T11:00:00.000Z",
    data: {
      ...base,
      status: "withdrawn",
      previousStatus: "submitted",
      version: 2,
      summary: summary({}),
    },
  },
  "endpoint.disabled": {
    type: "endpoint.disabled",
    timestamp: "2026-12-05T07:12:44.000Z",
    data: {
      endpointId: "ep_01JDQ6Z9K2M4N6P8R0S2T4V6W8",
      clinicId: base.clinicId,
      url: "https://mis.clinic.example/webhooks/insurer",
      reason: "failing",
      failingSince: "2026-11-30T07:10:02.000Z",
      disabledAt: "2026-12-05T07:12:44.000Z",
    },
  },
  "webhook.test": {
    type: "webhook.test",
    timestamp: "2026-11-27T09:15:00.000Z",
    data: {
      endpointId: "ep_01JDQ6Z9K2M4N6P8R0S2T4V6W8",
      clinicId: base.clinicId,
      requestedAt: "2026-11-27T09:15:00.000Z",
    },
  },
  ...OPERATIONAL_EVENT_EXAMPLES,
} as const satisfies { [T in WebhookEventType]: Extract<WebhookEvent, { type: T }> };
