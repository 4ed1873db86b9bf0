import {
  isClaimEvent,
  matchesEventTypeFilter,
  type PayloadFilter,
  type WebhookEvent,
} from "@claimwire/contracts";
import { compilePayloadFilter } from "./payload-filter.ts";

/** What deciding whether an endpoint gets an event needs of its row. */
export type SubscribedEndpoint = {
  id: string;
  eventTypes: readonly string[];
  payloadFilter?: PayloadFilter | null;
};

/**
 * Whether fan-out delivers `event` to `endpoint`. Its event types are matched as the
 * event feed matches `types` (`claim.paid`, `claim.*`, `*`: matchesEventTypeFilter), then
 * its payload filter, if any, against the body as delivered (payload-filter.ts).
 * Operational events are also addressed: a `webhook.test` goes to the endpoint it names
 * only, whatever its filters (endpoints.sendTest), and every other one
 * (`endpoint.disabled`, `endpoint.recovered`, `delivery.failing`, `delivery.exhausted`)
 * never goes to the endpoint it is about — it is news about that endpoint for the
 * clinic's others.
 *
 * @example
 * endpointReceives({ id: "ep_1", eventTypes: ["claim.*"] }, paidEvent); // true
 */
export function endpointReceives(endpoint: SubscribedEndpoint, event: WebhookEvent): boolean {
  if (event.type === "webhook.test") return endpoint.id === event.data.endpointId;
  if (!isClaimEvent(event) && endpoint.id === event.data.endpointId) return false;
  if (!endpoint.eventTypes.some((filter) => matchesEventTypeFilter(filter, event.type))) {
    return false;
  }
  return compilePayloadFilter(endpoint.payloadFilter ?? null)(event);
}
