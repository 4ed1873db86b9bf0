import type { AppRouter } from "@claimwire/insurer/router";
import { createTRPCClient, httpBatchLink, type TRPCClient } from "@trpc/client";

export type InsurerClientOptions = {
  /** The insurer's base URL, without `/trpc`, e.g. `http://127.0.0.1:4000`. */
  baseUrl: string;
  /** The clinic's (or insurer staff's) API key, sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** A `fetch` to use instead of the global one (tests, proxies, custom agents). */
  fetch?: typeof globalThis.fetch;
};

/** The typed insurer API: `client.claims.submit.mutate(…)`, `client.endpoints.list.query()`, … */
export type InsurerClient = TRPCClient<AppRouter>;

/**
 * Creates a typed client for the insurer's tRPC API. Calls made in the same tick are
 * batched into one HTTP request.
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
}: InsurerClientOptions): InsurerClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${baseUrl.replace(/\/+$/, "")}/trpc`,
        headers: { authorization: `Bearer ${apiKey}` },
        ...(fetch ? { fetch } : {}),
      }),
    ],
  });
}
