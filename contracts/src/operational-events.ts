import { z } from "zod";
import { TimestampSchema } from "./claim.ts";
import { DeliveryErrorClassSchema } from "./delivery-error-class.ts";
import { ClinicIdSchema, DeliveryIdSchema, EndpointIdSchema, EventIdSchema } from "./ids.ts";

/**
 * Operational events about the delivery of a clinic's webhooks, beside `endpoint.disabled`
 * (webhook-events.ts). Each is about one endpoint (`data.endpointId`) and goes to the
 * clinic's other endpoints subscribed to it, never to that one. They carry ids, counts,
 * status codes and error classes only: no URL, secret, header, response body or claim
 * field — the clinic looks a delivery up with `deliveries.byId`. Only deliveries of claim
 * events raise them, so an operational event's own delivery never raises another
 * (docs/delivery.md, "Operational events").
 */

/** The delivery an operational event is about: which event went to which endpoint. */
const deliveryFacts = {
  endpointId: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  deliveryId: DeliveryIdSchema,
  /** The event being delivered (its `webhook-id`), and its type: a claim event type. */
  eventId: EventIdSchema,
  eventType: z.string().min(1),
  /** The attempts that reached (or tried to reach) the endpoint and got no 2xx, so far. */
  failedAttempts: z.number().int().min(1),
  /** The latest failed attempt's HTTP status; null when it got no answer (timeout, refused, …). */
  lastStatusCode: z.number().int().nullable(),
  lastErrorClass: DeliveryErrorClassSchema.nullable(),
  /** When the first and the latest failed attempt started. */
  firstFailedAt: TimestampSchema,
  lastFailedAt: TimestampSchema,
};

export const DeliveryFailingEventSchema = z
  .object({
    type: z.literal("delivery.failing"),
    timestamp: TimestampSchema,
    data: z.object(deliveryFacts),
  })
  .describe(
    "A delivery to one of the clinic's endpoints has failed as many times in a row as the insurer's threshold (3 by default); it is still being retried. Sent once per delivery.",
  );

export const DeliveryExhaustedEventSchema = z
  .object({
    type: z.literal("delivery.exhausted"),
    timestamp: TimestampSchema,
    data: z.object({ ...deliveryFacts, exhaustedAt: TimestampSchema }),
  })
  .describe(
    "A delivery to one of the clinic's endpoints failed its last scheduled attempt and was dead-lettered; resend it (deliveries.resend, endpoints.recover) or read the event feed.",
  );

export const EndpointRecoveredEventSchema = z
  .object({
    type: z.literal("endpoint.recovered"),
    timestamp: TimestampSchema,
    data: z.object({
      endpointId: EndpointIdSchema,
      clinicId: ClinicIdSchema,
      /** When the run of failures that this success ends began. */
      failingSince: TimestampSchema,
      /** The failed attempts at the endpoint during that run. */
      failedAttempts: z.number().int().min(1),
      /** The delivery whose success ended the run. */
      deliveryId: DeliveryIdSchema,
      recoveredAt: TimestampSchema,
    }),
  })
  .describe(
    "An endpoint of the clinic that had been failing to receive claim events answered 2xx again; deliveries that were dead-lettered meanwhile stay failed until recovered.",
  );

/** Registered in webhook-events.ts (WebhookEventSchema, WEBHOOK_EVENT_SCHEMAS). */
export const OPERATIONAL_EVENT_SCHEMAS = {
  "delivery.failing": DeliveryFailingEventSchema,
  "delivery.exhausted": DeliveryExhaustedEventSchema,
  "endpoint.recovered": EndpointRecoveredEventSchema,
} as const;

/** The same, as the tuple a discriminated union takes. */
export const OPERATIONAL_EVENT_SCHEMA_LIST = [
  DeliveryFailingEventSchema,
  DeliveryExhaustedEventSchema,
  EndpointRecoveredEventSchema,
] as const;
