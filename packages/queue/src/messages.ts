import {
  AttemptIdSchema,
  ClinicIdSchema,
  DeliveryErrorClassSchema,
  DeliveryIdSchema,
  DeliveryTriggerSchema,
  EndpointIdSchema,
  EventIdSchema,
  WebhookEventTypeSchema,
} from "@claimwire/contracts";
import { z } from "zod";

/**
 * What travels through NATS between the insurer and the delivery workers. The worker
 * never opens the insurer's database: everything it needs is in these messages and in
 * the endpoints KV bucket, and everything it learns goes back as an AttemptReport.
 */

/**
 * One attempt of one event for one endpoint (DELIVERIES stream), published by the
 * insurer's dispatcher when it is due and its endpoint has room, so the stream only ever
 * holds work that can be sent now (a dead endpoint's pending retries and a slow
 * endpoint's excess wait in the insurer's store, not in the live consumer).
 */
export const DeliveryTaskSchema = z.object({
  deliveryId: DeliveryIdSchema,
  /** Sent as `webhook-id`; the same on every attempt and every replay. */
  eventId: EventIdSchema,
  endpointId: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  eventType: WebhookEventTypeSchema,
  /** Which attempt this is (1 = first); chosen by the insurer, reported back as is. */
  attemptNumber: z.number().int().min(1),
  /** "scheduled" for the first attempt and retries; "manual" for a resend or a recovery. */
  trigger: DeliveryTriggerSchema,
  /** The exact body to sign and POST. */
  body: z.string(),
  committedAt: z.iso.datetime(),
});
export type DeliveryTask = z.infer<typeof DeliveryTaskSchema>;

export const AttemptOutcomeSchema = z.enum(["delivered", "failed"]);

/**
 * Why an attempt failed, as a closed set a dashboard and the retry policy can act on.
 * Defined once in the contracts (the API reports it too); the workers use the same set.
 */
export const AttemptErrorClassSchema = DeliveryErrorClassSchema;
export type AttemptErrorClass = z.infer<typeof AttemptErrorClassSchema>;

/**
 * The worker's report of one HTTP attempt (ATTEMPTS stream), recorded by the insurer,
 * which alone decides what happens next (retry when, dead-letter, disable the endpoint):
 * the retry schedule lives in one place, and workers stay stateless.
 */
export const AttemptReportSchema = z.object({
  attemptId: AttemptIdSchema,
  deliveryId: DeliveryIdSchema,
  endpointId: EndpointIdSchema,
  eventId: EventIdSchema,
  /** Copied from the task. */
  attemptNumber: z.number().int().min(1),
  trigger: DeliveryTriggerSchema,
  startedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  outcome: AttemptOutcomeSchema,
  statusCode: z.number().int().nullable(),
  errorClass: AttemptErrorClassSchema.nullable(),
  /** A short human-readable error; never a secret, a signature or a request header. */
  error: z.string().max(2000).nullable(),
  /** From a 429/503 `Retry-After` (seconds or HTTP date), unclamped; the insurer clamps. */
  retryAfterMs: z.number().int().nonnegative().nullable(),
  /** The response headers that matter (content-type, retry-after, …), lower-case names. */
  responseHeaders: z.record(z.string(), z.string()),
  /** The response body, truncated to 20 KB. */
  responseBody: z
    .string()
    .max(20 * 1024)
    .nullable(),
});
export type AttemptReport = z.infer<typeof AttemptReportSchema>;

/**
 * Endpoint configuration the workers read at send time (endpoints KV bucket), kept in
 * step by the insurer after each commit.
 */
export const EndpointConfigSchema = z.object({
  id: EndpointIdSchema,
  clinicId: ClinicIdSchema,
  url: z.string(),
  enabled: z.boolean(),
  /**
   * Signing keys, each of which signs every request: `whsec_…` (HMAC-SHA256, `v1,`) or
   * `whsk_…` (ed25519 secret key, `v1a,`). The current one first.
   */
  secrets: z.array(z.string()).min(1),
  /** Keys replaced by a rotation: they keep signing beside the new one until `expiresAt`. */
  retiringSecrets: z.array(z.object({ secret: z.string(), expiresAt: z.iso.datetime() })),
  /**
   * The endpoint's custom headers, sent with every attempt; the worker's own headers
   * (signature, content type, user agent) win over them. Absent (a config written before
   * this field existed): none.
   */
  headers: z.record(z.string(), z.string()).optional(),
});
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;
