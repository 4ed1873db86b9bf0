import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./openapi-types.ts";

/**
 * Where the insurer is and who is calling, for {@link createRestClient}.
 *
 * @example
 * const options: RestClientOptions = {
 *   baseUrl: process.env.INSURER_URL ?? "http://127.0.0.1:4000",
 *   apiKey: process.env.CLINIC_API_KEY!,
 * };
 */
export type RestClientOptions = {
  /** The insurer's base URL, without `/api/v1`, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** The clinic's (or insurer staff's) API key, sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** A `fetch` to use instead of the global one (tests, proxies, custom agents). */
  fetch?: (request: Request) => Promise<Response>;
};

/**
 * The insurer's REST API (`/api/v1`), typed from its OpenAPI document: `GET`, `POST`,
 * `PATCH`, `DELETE` take a path of the document and return `{ data, error, response }`
 * (openapi-fetch). Nothing is thrown for an error answer: `error` is its typed body.
 *
 * @example
 * async function claimStatus(rest: RestClient, claimId: string) {
 *   const { data, error } = await rest.GET("/claims/{claimId}", {
 *     params: { path: { claimId } },
 *   });
 *   return data?.status ?? `unknown (${error?.code})`;
 * }
 */
export type RestClient = Client<paths>;

/**
 * The body of every error answer: `code` is the reason (`NOT_FOUND`, `BAD_REQUEST`,
 * `CONFLICT`, …; read a code you do not know by the HTTP status) and `message` names the
 * thing or the field (`No claim with id 'clm_…'`).
 *
 * @example
 * function describe(error: RestError): string {
 *   return `${error.code}: ${error.message}`;
 * }
 */
export type RestError = components["schemas"]["Error"];

/**
 * Creates a typed client for the insurer's REST API, for integrators who do not use tRPC.
 * The same procedures, authentication and errors as `createInsurerClient`'s (tRPC), over
 * plain HTTP and JSON; the types come from the OpenAPI document the insurer serves at
 * `/openapi.json`.
 *
 * @example
 * import { createRestClient } from "@claimwire/sdk/rest";
 *
 * const rest = createRestClient({ baseUrl: "http://127.0.0.1:4000", apiKey });
 * const { data: claim, error } = await rest.POST("/claims", {
 *   body: {
 *     clinicReference: "INV-2026-0042",
 *     patientRef: "pat_7f3k2m9x",
 *     policyNumber: "POL-123456",
 *     currency: "EUR",
 *     serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 12_500 }],
 *   },
 * });
 * if (error) throw new Error(`${error.code}: ${error.message}`);
 * console.log(claim.id, claim.status);
 */
export function createRestClient({ baseUrl, apiKey, fetch }: RestClientOptions): RestClient {
  return createClient<paths>({
    baseUrl: `${baseUrl.replace(/\/+$/, "")}/api/v1`,
    headers: { authorization: `Bearer ${apiKey}` },
    ...(fetch ? { fetch } : {}),
  });
}
