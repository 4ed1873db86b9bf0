import { isClaimEvent, matchesEventTypeFilter, type WebhookEvent } from "@claimwire/contracts";

/** What deciding whether an endpoint gets an event needs of its row. */
export type SubscribedEndpoint = { id: string; eventTypes: readonly string[] };

/**
 * Whether fan-out delivers `event` to `endpoint`. Its filters are matched as the event
 * feed matches `types` (`claim.paid`, `claim.*`, `*`: matchesEventTypeFilter). Operational
 * events are also addressed: a `webhook.test` goes to the endpoint it names only, whatever
 * its filters (endpoints.sendTest), and every other one (`endpoint.disabled`,
 * `endpoint.recovered`, `delivery.failing`, `delivery.exhausted`) never goes to the
 * endpoint it is about — it is news about that endpoint for the clinic's others.
 *
 * @example
 * endpointReceives({ id: "ep_1", eventTypes: ["claim.*"] }, paidEvent); // true
 */
export function endpointReceives(endpoint: SubscribedEndpoint, event: WebhookEvent): boolean {
  if (event.type === "webhook.test") return endpoint.id === event.data.endpointId;
  if (!isClaimEvent(event) && endpoint.id === event.data.endpointId) return false;
  return endpoint.eventTypes.some((filter) => matchesEventTypeFilter(filter, event.type));
}
