/** Why the Standard Webhooks check (headers, timestamp window, signature) rejected a delivery. */
export type SignatureRejectionReason =
  | "missing_headers"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_in_future"
  | "invalid_signature";

/**
 * Why a delivery was rejected: a signature/timestamp reason, or — where the verified body
 * is also read as an event, as the SDK's `verifyWebhook` does — a body that is not JSON
 * (`invalid_json`), or not an event: no string `type`, or a known type that breaks its
 * schema (`invalid_payload`). An event type the reader does not know is not a rejection.
 *
 * @example
 * function statusFor(reason: WebhookVerificationReason): 400 | 401 {
 *   return reason === "invalid_json" || reason === "invalid_payload" ? 400 : 401;
 * }
 */
export type WebhookVerificationReason =
  | SignatureRejectionReason
  | "invalid_json"
  | "invalid_payload";

/**
 * The one error thrown for a delivery that is rejected; `reason` says why. Messages never
 * contain a secret or an expected signature. A misconfigured receiver (a malformed
 * secret, a body that is not the raw bytes) gets a `TypeError` instead: that is a bug to
 * fix, not a bad request to answer. This package and the SDK throw this same class, so
 * `instanceof` holds whichever of them verified the delivery.
 *
 * @example
 * try {
 *   verified = verifyWebhook({ body, headers, secret });
 * } catch (error) {
 *   if (!(error instanceof WebhookVerificationError)) throw error;
 *   return new Response(error.message, { status: error.reason === "invalid_payload" ? 400 : 401 });
 * }
 */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
