import { type SendTestOutput, WebhookTestEventSchema } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { deliveries } from "../db/schema.ts";
import type { Principal } from "./api-keys.ts";
import { refuseDisabled } from "./deliveries.ts";
import { findEndpoint } from "./endpoints.ts";
import { appendEvent } from "./outbox.ts";
import type { Services } from "./services.ts";

/**
 * Queues a `webhook.test` to one endpoint (a clinic its own, staff any), whatever event
 * types it subscribes to. The event goes through the outbox like any other, so the test
 * exercises the whole path (relay, fan-out, a worker, signing, the receiver) and its
 * attempts are recorded and retried like any delivery. Its delivery row is written here,
 * in the event's transaction, so the caller gets its id at once; fan-out then finds it
 * (insert-or-ignore on event × endpoint) and publishes attempt 1. A disabled endpoint is
 * CONFLICT: nothing is sent to it until it is enabled.
 */
export function sendTestWebhook(
  services: Services,
  viewer: Principal,
  endpointId: string,
): SendTestOutput {
  const at = new Date().toISOString();
  const queued = services.db.transaction(
    (tx) => {
      const endpoint = findEndpoint(tx, viewer, endpointId);
      refuseDisabled(endpoint);
      const event = WebhookTestEventSchema.parse({
        type: "webhook.test",
        timestamp: at,
        data: { endpointId: endpoint.id, clinicId: endpoint.clinicId, requestedAt: at },
      });
      const { eventId } = appendEvent(tx, event, at);
      const deliveryId = newId("delivery");
      tx.insert(deliveries)
        .values({
          id: deliveryId,
          eventId,
          endpointId: endpoint.id,
          status: "sending",
          attemptCount: 1,
          dispatchedAt: at,
          createdAt: at,
        })
        .run();
      return { eventId, deliveryId };
    },
    { behavior: "immediate" },
  );
  services.outbox.notify();
  return queued;
}
