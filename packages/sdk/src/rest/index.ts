/**
 * @claimwire/sdk/rest — a typed client for the insurer's REST API (`/api/v1`), generated
 * from its OpenAPI document, for integrators who do not use tRPC.
 *
 * @example
 * import { createRestClient } from "@claimwire/sdk/rest";
 *
 * @packageDocumentation
 */

import type * as generated from "./openapi-types.ts";

export type { RestClient, RestClientOptions, RestError } from "./rest-client.ts";
export { createRestClient } from "./rest-client.ts";

/**
 * Every REST route of the insurer by path and method, as openapi-typescript writes them:
 * parameters, request body and each response. What openapi-fetch's helpers take.
 *
 * @example
 * type ClaimById = paths["/claims/{claimId}"]["get"];
 */
export type paths = generated.paths;

/**
 * The OpenAPI document's components: `schemas` (`Claim`, `SubmitClaimInput`, `Endpoint`,
 * `Error`, every webhook event body by its type), `responses` and `parameters`.
 *
 * @example
 * type Claim = components["schemas"]["Claim"];
 * type Approved = components["schemas"]["claim.approved"];
 */
export type components = generated.components;

/**
 * Every operation by its `operationId` (`claims-submit`, `claims-byId`, …).
 *
 * @example
 * type SubmitAnswer = operations["claims-submit"]["responses"][200];
 */
export type operations = generated.operations;

/**
 * The webhooks the insurer sends, by event type: the request body and the Standard
 * Webhooks headers (verify deliveries with `verifyWebhook` from `@claimwire/sdk`).
 *
 * @example
 * type PaidDelivery = webhooks["claim.paid"]["post"];
 */
export type webhooks = generated.webhooks;
