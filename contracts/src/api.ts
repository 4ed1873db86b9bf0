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
import { ClaimIdSchema, ClinicIdSchema, EndpointIdSchema } from "./ids.ts";
import { CurrencySchema, MinorUnitsSchema } from "./money.ts";
import { WebhookEventTypeSchema } from "./webhook-events.ts";

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

export const ListClaimsInputSchema = z.object({
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListClaimsInput = z.input<typeof ListClaimsInputSchema>;

export const ClaimPageSchema = z.object({
  items: z.array(ClaimSchema),
  nextCursor: z.string().nullable(),
});
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

// ── endpoints (webhook subscriptions) ────────────────────────────────────────────

export const EndpointUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(2048);

export const CreateEndpointInputSchema = z.object({
  url: EndpointUrlSchema,
  eventTypes: z.array(WebhookEventTypeSchema).min(1),
  description: z.string().max(500).default(""),
});
export type CreateEndpointInput = z.input<typeof CreateEndpointInputSchema>;

export const EndpointSchema = z.object({
  id: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  url: z.string(),
  eventTypes: z.array(WebhookEventTypeSchema),
  description: z.string(),
  enabled: z.boolean(),
  createdAt: TimestampSchema,
});
export type Endpoint = z.infer<typeof EndpointSchema>;

/** The signing secret is returned here, once, and never again. */
export const CreateEndpointOutputSchema = EndpointSchema.extend({
  secret: z.string().startsWith("whsec_"),
});
export type CreateEndpointOutput = z.infer<typeof CreateEndpointOutputSchema>;

export const EndpointByIdInputSchema = z.object({ endpointId: EndpointIdSchema });

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

export const WhoAmIOutputSchema = z.discriminatedUnion("role", [
  z.object({ role: z.literal("clinic"), clinicId: ClinicIdSchema }),
  z.object({ role: z.literal("insurer") }),
]);
