import {
  AttemptIdSchema,
  ClaimIdSchema,
  ClinicIdSchema,
  DeliveryIdSchema,
  EndpointIdSchema,
  EventIdSchema,
  WebhookEventSchema,
  WebhookEventTypeSchema,
} from "@claimwire/contracts";
import { z } from "zod";

/**
 * What travels through NATS between the insurer and the delivery workers. The worker
 * never opens the insurer's database: everything it needs is in these messages and in
 * the endpoints KV bucket, and everything it learns goes back as an AttemptReport.
 */

/** A committed domain event, published by the outbox relay (EVENTS stream). */
export const DomainEventMessageSchema = z.object({
  eventId: EventIdSchema,
  clinicId: ClinicIdSchema,
  claimId: ClaimIdSchema,
  /** When the status change was committed (ISO); delivery latency is measured from here. */
  committedAt: z.iso.datetime(),
  event: WebhookEventSchema,
});
export type DomainEventMessage = z.infer<typeof DomainEventMessageSchema>;

/** One event for one endpoint (DELIVERIES stream), produced by fan-out. */
export const DeliveryTaskSchema = z.object({
  deliveryId: DeliveryIdSchema,
  /** Sent as `webhook-id`; the same on every attempt and every replay. */
  eventId: EventIdSchema,
  endpointId: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  eventType: WebhookEventTypeSchema,
  /** The exact body to sign and POST. */
  body: z.string(),
  committedAt: z.iso.datetime(),
});
export type DeliveryTask = z.infer<typeof DeliveryTaskSchema>;

export const AttemptOutcomeSchema = z.enum(["delivered", "failed"]);

/** The worker's report of one HTTP attempt (ATTEMPTS stream), recorded by the insurer. */
export const AttemptReportSchema = z.object({
  attemptId: AttemptIdSchema,
  deliveryId: DeliveryIdSchema,
  endpointId: EndpointIdSchema,
  eventId: EventIdSchema,
  attemptNumber: z.number().int().min(1),
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  outcome: AttemptOutcomeSchema,
  statusCode: z.number().int().nullable(),
  /** A short error class and message for failures without a 2xx; never a secret. */
  error: z.string().max(2000).nullable(),
  /** When the next attempt is due, or null when none will follow. */
  nextAttemptAt: z.iso.datetime().nullable(),
});
export type AttemptReport = z.infer<typeof AttemptReportSchema>;

/** Endpoint configuration the workers read at send time (endpoints KV bucket). */
export const EndpointConfigSchema = z.object({
  id: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  url: z.string(),
  enabled: z.boolean(),
  /** `whsec_…` secrets that sign each request; more than one during a rotation. */
  secrets: z.array(z.string()).min(1),
});
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;
