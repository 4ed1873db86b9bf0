import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from "@trpc/client";
import type { InsurerRouter } from "./insurer-router.ts";

/**
 * Where the insurer is and who is calling.
 *
 * @example
 * const options: InsurerClientOptions = {
 *   baseUrl: process.env.INSURER_URL ?? "http://127.0.0.1:4000",
 *   apiKey: process.env.CLINIC_API_KEY!,
 * };
 */
export type InsurerClientOptions = {
  /** The insurer's base URL, without `/trpc`, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** The clinic's (or insurer staff's) API key, sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** A `fetch` to use instead of the global one (tests, proxies, custom agents). */
  fetch?: typeof globalThis.fetch;
  /**
   * `false`: one HTTP request per call, never batched. Use it for the long poll
   * (`events.wait`): a batched call shares one response with the calls of its tick and
   * would wait for the poll. Default `true`.
   */
  batch?: boolean;
  /**
   * Extra headers for each HTTP request, asked for as it is sent: e.g. the W3C trace
   * context (`traceparent`) of the caller's span, so the insurer's trace continues the
   * caller's. `authorization` always comes from `apiKey`.
   */
  headers?: () => Record<string, string>;
};

/**
 * The typed insurer API: `client.claims.submit.mutate(…)`, `client.endpoints.list.query()`, …
 * Inputs are checked by the insurer against the same schemas the types come from; a
 * rejected call throws an {@link InsurerApiError}.
 *
 * @example
 * async function openClaims(insurer: InsurerClient) {
 *   const page = await insurer.claims.list.query({ limit: 50 });
 *   return page.items.filter((claim) => claim.status === "submitted");
 * }
 */
export type InsurerClient = TRPCClient<InsurerRouter>;

/**
 * Creates a typed client for the insurer's tRPC API. Calls made in the same tick are
 * batched into one HTTP request, unless `batch: false`.
 *
 * @example
 * const insurer = createInsurerClient({ baseUrl: "http://127.0.0.1:4000", apiKey });
 * const endpoint = await insurer.endpoints.create.mutate({
 *   url: "https://clinic.example/webhooks/insurer",
 *   eventTypes: ["claim.approved", "claim.paid"],
 * });
 * const claim = await insurer.claims.byId.query({ claimId: "clm_…" });
 */
export function createInsurerClient({
  baseUrl,
  apiKey,
  fetch,
  batch = true,
  headers,
}: InsurerClientOptions): InsurerClient {
  const authorization = `Bearer ${apiKey}`;
  const options = {
    url: `${baseUrl.replace(/\/+$/, "")}/trpc`,
    headers: headers ? () => ({ ...headers(), authorization }) : { authorization },
    ...(fetch ? { fetch } : {}),
  };
  return createTRPCClient<InsurerRouter>({
    links: [batch ? httpBatchLink(options) : httpLink(options)],
  });
}
