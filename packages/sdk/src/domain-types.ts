// The contracts' types under the SDK's name, each with what an integrator needs to know.
// They are aliases (the schemas stay in @claimwire/contracts), bundled into the SDK's
// .d.ts so that a consumer needs nothing else.
import type * as contracts from "@claimwire/contracts";
import { WEBHOOK_EVENT_TYPES as ALL_EVENT_TYPES } from "@claimwire/contracts";

/**
 * An amount in minor units (cents) and its ISO 4217 currency.
 *
 * @example
 * const total: Money = { amount: 18_500, currency: "EUR" }; // €185.00
 */
export type Money = contracts.Money;

/**
 * One billed service on a claim: a procedure code, its date, a quantity and a unit price
 * in minor units.
 *
 * @example
 * const line: ServiceLine = { code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 12_500 };
 */
export type ServiceLine = contracts.ServiceLine;

/**
 * Where a claim is: `submitted`, `in_review`, `needs_info`, `approved`,
 * `partially_approved`, `rejected`, `paid` or `withdrawn`.
 *
 * @example
 * const open = (status: ClaimStatus) => status === "submitted" || status === "in_review";
 */
export type ClaimStatus = contracts.ClaimStatus;

/**
 * A claim as the insurer returns it: what was submitted, its status, `version` (one more
 * at each change) and the decision's fields once decided.
 *
 * @example
 * const claim: Claim = await insurer.claims.byId.query({ claimId });
 * console.log(claim.status, claim.total.amount, claim.decisionDueAt);
 */
export type Claim = contracts.Claim;

/**
 * A page of the clinic's claims, newest first; pass `nextCursor` back for the next page.
 *
 * @example
 * let page: ClaimPage = await insurer.claims.list.query({ limit: 100 });
 * while (page.nextCursor) page = await insurer.claims.list.query({ cursor: page.nextCursor });
 */
export type ClaimPage = contracts.ClaimPage;

/**
 * What `claims.submit` takes. Resubmitting the same `clinicReference` returns the
 * existing claim (a different body under it is a `CONFLICT`). `patientRef` is a
 * pseudonymous token, never a name.
 *
 * @example
 * const input: SubmitClaimInput = {
 *   clinicReference: "INV-2026-0042",
 *   patientRef: "pat_7f3k2m9x",
 *   policyNumber: "POL-123456",
 *   currency: "EUR",
 *   serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 12_500 }],
 * };
 */
export type SubmitClaimInput = contracts.SubmitClaimInput;

/**
 * What `claims.list` takes: a page size (default 20) and the previous page's cursor.
 *
 * @example
 * const input: ListClaimsInput = { limit: 50 };
 */
export type ListClaimsInput = contracts.ListClaimsInput;

/**
 * What `endpoints.create` takes: the URL the insurer POSTs webhooks to and the event
 * types to send there; `signatureScheme` is `hmac-sha256` (default) or `ed25519`.
 *
 * @example
 * const input: CreateEndpointInput = {
 *   url: "https://clinic.example/webhooks/insurer",
 *   eventTypes: ["claim.approved", "claim.rejected", "claim.paid"],
 * };
 */
export type CreateEndpointInput = contracts.CreateEndpointInput;

/**
 * A webhook endpoint: its URL, event types, signature scheme and health.
 *
 * @example
 * const endpoints: Endpoint[] = await insurer.endpoints.list.query();
 * const disabled = endpoints.filter((endpoint) => !endpoint.enabled);
 */
export type Endpoint = contracts.Endpoint;

/**
 * The endpoint just created, with its verification key in `secret` (a `whsec_…` secret,
 * or a `whpk_…` public key for ed25519). It is shown only here: store it.
 *
 * @example
 * const { id, secret }: CreateEndpointOutput = await insurer.endpoints.create.mutate(input);
 * await vault.put(`claimwire/${id}`, secret);
 */
export type CreateEndpointOutput = contracts.CreateEndpointOutput;

/**
 * A claim status change as a webhook carries it: `claim.submitted`, `claim.approved`, …
 * Each carries the claim's current summary and `version`; apply it only if the version
 * is newer than the one you hold.
 *
 * @example
 * function apply(event: ClaimEvent, held: { version: number }) {
 *   if (event.data.version <= held.version) return; // late or repeated: ignore
 *   console.log(event.data.claimId, event.data.status);
 * }
 */
export type ClaimEvent = contracts.ClaimEvent;

/**
 * Any webhook type this SDK knows: a {@link ClaimEvent}, an operational event about one of
 * your other endpoints (`endpoint.disabled`, `endpoint.recovered`, `delivery.failing`,
 * `delivery.exhausted`), or the `webhook.test` that `endpoints.sendTest` asks for. Narrow
 * it on `type` to read its fields. The insurer may add types later: `verifyWebhook`
 * returns those as `known: false`, with an {@link UnknownWebhookPayload}.
 *
 * @example
 * function describe(event: WebhookEvent): string {
 *   switch (event.type) {
 *     case "claim.approved":
 *       return `${event.data.claimId} approved: ${event.data.approvedAmount.amount}`;
 *     case "endpoint.disabled":
 *       return `endpoint ${event.data.endpointId} disabled (${event.data.reason})`;
 *     case "endpoint.recovered":
 *       return `endpoint ${event.data.endpointId} delivers again`;
 *     case "delivery.failing":
 *     case "delivery.exhausted":
 *       return `delivery ${event.data.deliveryId}: ${event.data.failedAttempts} failed attempts`;
 *     case "webhook.test":
 *       return "test webhook received";
 *     default:
 *       return `${event.data.claimId} is ${event.data.status}`;
 *   }
 * }
 */
export type WebhookEvent = contracts.WebhookEvent;

/**
 * The body of a webhook whose `type` this SDK does not know (the insurer added the type
 * after this SDK was built), as parsed JSON: an object with a string `type`, nothing else
 * checked. `verifyWebhook` returns it as `{ known: false, type, payload }`.
 *
 * @example
 * function keepForLater(payload: UnknownWebhookPayload) {
 *   console.log(`not handled yet: ${payload.type}`, JSON.stringify(payload).length, "bytes");
 * }
 */
export type UnknownWebhookPayload = contracts.UnknownWebhookPayload;

/**
 * The `type` of a {@link WebhookEvent}, e.g. `"claim.paid"`.
 *
 * @example
 * const wanted: WebhookEventType[] = ["claim.approved", "claim.paid"];
 */
export type WebhookEventType = contracts.WebhookEventType;

/**
 * Every webhook event type, e.g. to subscribe an endpoint to all of them.
 *
 * @example
 * await insurer.endpoints.create.mutate({ url, eventTypes: [...WEBHOOK_EVENT_TYPES] });
 */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ALL_EVENT_TYPES;
