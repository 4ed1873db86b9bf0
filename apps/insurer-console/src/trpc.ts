import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { httpStatusOf } from "./api-error.ts";
import { clearApiKey, readApiKey } from "./api-key.ts";
import type { AppRouter } from "./app-router.ts";

/** A key the insurer no longer accepts (revoked, mistyped): back to the sign-in form. */
function signOutOnUnauthorized(error: unknown): void {
  if (httpStatusOf(error) === 401 && readApiKey() !== null) {
    clearApiKey("The insurer did not accept this API key. Check it and sign in again.");
    queryClient.clear();
  }
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: signOutOnUnauthorized }),
  mutationCache: new MutationCache({ onError: signOutOnUnauthorized }),
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      // A 4xx will not change on retry; a dropped connection might.
      retry: (failures, error) => (httpStatusOf(error) ?? 500) >= 500 && failures < 2,
    },
  },
});

// Same origin: the insurer serves this console at /console/ and its API at /trpc.
const client = createTRPCClient<AppRouter>({
  links: [
    httpBatchLink({
      url: "/trpc",
      headers() {
        const key = readApiKey();
        return key ? { authorization: `Bearer ${key}` } : {};
      },
    }),
  ],
});

/** `trpc.claims.queue.queryOptions(…)`, `trpc.claims.decide.mutationOptions()`, … */
export const trpc = createTRPCOptionsProxy<AppRouter>({ client, queryClient });
