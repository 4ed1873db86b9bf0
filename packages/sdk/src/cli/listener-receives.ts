import { type FeedEvent, matchesEventTypeFilter } from "@claimwire/contracts";

/**
 * Whether the listener forwards `event`: its type matches one of the filters, by the
 * rule endpoints subscribe with (contracts' matchesEventTypeFilter). A `webhook.test` is
 * addressed to the one endpoint `endpoints.sendTest` named, as fan-out does, so it never
 * comes here.
 *
 * @example
 * listenerReceives(["claim.*"], paidEvent); // true
 */
export function listenerReceives(filters: readonly string[], event: FeedEvent): boolean {
  if (event.type === "webhook.test") return false;
  return filters.some((filter) => matchesEventTypeFilter(filter, event.type));
}
