import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { trpc } from "./trpc.ts";

/**
 * Fetches again everything the console shows of one endpoint: the endpoint itself (state,
 * failing since), its health, its charts, the endpoint lists it appears in, its message log (unless
 * `log: false`, when the log itself changed) and any open Attempts panel. Only queries on
 * screen refetch; the others are marked stale. Resolves when the new data is shown.
 */
export async function refreshEndpoint(
  queryClient: QueryClient,
  endpointId: string,
  { log = true }: { log?: boolean } = {},
): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries(trpc.endpoints.byId.queryFilter({ endpointId })),
    queryClient.invalidateQueries(trpc.endpoints.stats.queryFilter({ endpointId })),
    queryClient.invalidateQueries(trpc.endpoints.deliveryStats.queryFilter({ endpointId })),
    queryClient.invalidateQueries(trpc.endpoints.list.queryFilter()),
    log
      ? queryClient.invalidateQueries(trpc.deliveries.list.infiniteQueryFilter({ endpointId }))
      : null,
    // Keyed by delivery, not endpoint: the open panels are this endpoint's.
    queryClient.invalidateQueries(trpc.deliveries.attempts.queryFilter()),
  ]);
}

/** `refreshEndpoint` for one endpoint, as a stable callback. */
export function useRefreshEndpoint(endpointId: string): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => refreshEndpoint(queryClient, endpointId), [queryClient, endpointId]);
}
