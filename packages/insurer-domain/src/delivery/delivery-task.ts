import { type WebhookEvent, webhookBody } from "@claimwire/contracts";
import type { DeliveryTask } from "@claimwire/queue";

/** A delivery task for attempt `attemptNumber` of a delivery of `event`. */
export function deliveryTask(args: {
  deliveryId: string;
  endpointId: string;
  attemptNumber: number;
  trigger: DeliveryTask["trigger"];
  event: { id: string; clinicId: string; committedAt: string; payload: WebhookEvent };
}): DeliveryTask {
  return {
    deliveryId: args.deliveryId,
    eventId: args.event.id,
    endpointId: args.endpointId,
    clinicId: args.event.clinicId,
    eventType: args.event.payload.type,
    attemptNumber: args.attemptNumber,
    trigger: args.trigger,
    // The same bytes for fan-out, the retry scheduler and a resend (and `claimwire listen`).
    body: webhookBody(args.event.payload),
    committedAt: args.event.committedAt,
  };
}
