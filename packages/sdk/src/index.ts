/**
 * @claimwire/sdk — what a clinic's integrator installs: a typed client for the insurer API
 * and verification of the insurer's webhooks into typed, schema-checked events.
 */
export type {
  Claim,
  ClaimEvent,
  ClaimPage,
  ClaimStatus,
  CreateEndpointInput,
  CreateEndpointOutput,
  Endpoint,
  ListClaimsInput,
  Money,
  ServiceLine,
  SubmitClaimInput,
  WebhookEvent,
  WebhookEventType,
} from "@claimwire/contracts";
export { WEBHOOK_EVENT_TYPES } from "@claimwire/contracts";
// Re-exported so integrators can tell API errors apart (`error.data?.code === "CONFLICT"`)
// without depending on @trpc/client themselves.
export { isTRPCClientError, TRPCClientError } from "@trpc/client";
export type { InsurerClient, InsurerClientOptions } from "./insurer-client.ts";
export { createInsurerClient } from "./insurer-client.ts";
export type {
  VerifiedWebhookEvent,
  VerifyRequestOptions,
  VerifyWebhookOptions,
  WebhookVerificationReason,
} from "./verify-webhook.ts";
export {
  verifyFetchRequest,
  verifyNodeRequest,
  verifyWebhook,
  WebhookVerificationError,
} from "./verify-webhook.ts";
