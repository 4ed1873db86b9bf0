// Types only: the clinic's router, never its code (the web app is built without it).
import type { ClinicRouter } from "@claimwire/clinic-api";
import { QueryClient } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  isTRPCClientError,
  splitLink,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";

export type { ClinicRouter };

/** The clinic serves this app and its API from the same origin. */
const API_URL = "/api/trpc";

export const { TRPCProvider, useTRPC } = createTRPCContext<ClinicRouter>();

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live updates refetch what changed; no refetch merely because the tab got focus.
        refetchOnWindowFocus: false,
        staleTime: 5_000,
        // A 404 (an unknown claim or patient link) will not heal by asking again.
        retry: (failures, error) =>
          !(isTRPCClientError(error) && error.data?.httpStatus === 404) && failures < 2,
      },
    },
  });
}

export function createClinicClient() {
  return createTRPCClient<ClinicRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        // Server-sent events: the browser's EventSource reconnects by itself.
        true: httpSubscriptionLink({ url: API_URL }),
        false: httpBatchLink({ url: API_URL }),
      }),
    ],
  });
}
