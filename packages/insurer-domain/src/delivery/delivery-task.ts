import type { WebhookEvent } from "@claimwire/contracts";
import type { DeliveryTask } from "@claimwire/queue";

/**
 * The exact bytes every attempt signs and POSTs: the stored event envelope, serialised
 * the same way by fan-out, the retry scheduler and a resend, so a retry or a replay
 * carries the body of the first attempt.
 */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify(event);
}

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
    body: webhookBody(args.event.payload),
    committedAt: args.event.committedAt,
  };
}
