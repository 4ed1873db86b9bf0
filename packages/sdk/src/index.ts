/**
 * @claimwire/sdk — what a clinic's integrator installs: a typed client for the insurer API
 * and verification of the insurer's webhooks into typed, schema-checked events.
 *
 * @example
 * import { createInsurerClient, verifyFetchRequest } from "@claimwire/sdk";
 *
 * @packageDocumentation
 */

// For events read from the feed (events.list, events.wait), which may be of types added
// after this SDK was built: the same reading verifyWebhook does.
export { type ReadWebhookEvent, readWebhookEvent } from "@claimwire/contracts";
// One error class for the signature check and the SDK's event check, so `instanceof`
// holds for a rejection from either.
// The signature check alone, for any Standard Webhooks sender: the raw body comes back
// unparsed, whatever it holds.
export type {
  VerifiedWebhook as VerifiedStandardWebhook,
  WebhookVerificationReason,
} from "@claimwire/webhooks";
export {
  verifyWebhook as verifyStandardWebhook,
  WebhookVerificationError,
} from "@claimwire/webhooks";
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
  UnknownWebhookPayload,
  WebhookEvent,
  WebhookEventType,
} from "./domain-types.ts";
export { WEBHOOK_EVENT_TYPES } from "./domain-types.ts";
export type { InsurerApiError, InsurerErrorCode } from "./insurer-api-error.ts";
export { isInsurerApiError, isTRPCClientError, TRPCClientError } from "./insurer-api-error.ts";
export type { InsurerClient, InsurerClientOptions } from "./insurer-client.ts";
export { createInsurerClient } from "./insurer-client.ts";
export type { InsurerRouter } from "./insurer-router.ts";
export type { RawBodyRequest } from "./request-adapters.ts";
export { verifyFetchRequest, verifyNodeRequest, verifyRawBody } from "./request-adapters.ts";
export type {
  VerifiedKnownWebhookEvent,
  VerifiedUnknownWebhookEvent,
  VerifiedWebhookEvent,
  VerifyRequestOptions,
  VerifyWebhookOptions,
  WebhookHeaders,
} from "./verify-webhook.ts";
export { verifyWebhook } from "./verify-webhook.ts";
