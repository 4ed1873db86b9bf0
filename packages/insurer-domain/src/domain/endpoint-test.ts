import { type SendTestOutput, WebhookTestEventSchema } from "@claimwire/contracts";
import type { Principal } from "./api-keys.ts";
import { refuseDisabled } from "./deliveries.ts";
import { findEndpoint } from "./endpoints.ts";
import { appendEvent } from "./outbox.ts";
import type { Services } from "./services.ts";

/**
 * Queues a `webhook.test` to one endpoint (a clinic its own, staff any), whatever event
 * types it subscribes to. The event is appended like any other, so the test exercises
 * the whole path (fan-out, the dispatcher, a worker, signing, the receiver) and its
 * attempts are recorded and retried like any delivery; fan-out addresses it to the named
 * endpoint only (endpointReceives), in the event's transaction, so the caller gets the
 * delivery's id at once. A disabled endpoint is CONFLICT: nothing is sent to it until it
 * is enabled.
 */
export async function sendTestWebhook(
  services: Services,
  viewer: Principal,
  endpointId: string,
): Promise<SendTestOutput> {
  const { store } = services;
  const at = new Date().toISOString();
  const queued = await store.transaction(async (tx) => {
    const endpoint = await findEndpoint(store, tx, viewer, endpointId);
    refuseDisabled(endpoint);
    const event = WebhookTestEventSchema.parse({
      type: "webhook.test",
      timestamp: at,
      data: { endpointId: endpoint.id, clinicId: endpoint.clinicId, requestedAt: at },
    });
    const { eventId, deliveries } = await appendEvent(store, tx, event, at);
    const [delivery] = deliveries;
    if (!delivery) throw new Error(`webhook.test fanned out to no endpoint (${endpoint.id})`);
    return { eventId, deliveryId: delivery.deliveryId };
  });
  services.outbox.notify();
  return queued;
}
