import type { WebhookHeaders } from "./sign.ts";

/** The `user-agent` of every claimwire webhook request. */
export const WEBHOOK_USER_AGENT = "claimwire-webhooks/0.1";

/** Every claimwire webhook body is a JSON event envelope. */
export const WEBHOOK_CONTENT_TYPE = "application/json";

/**
 * The headers of one webhook POST, as every claimwire sender puts them on the wire (the
 * delivery worker, and the SDK's `claimwire listen`, so a receiver sees the same request
 * from both): `extra` first (an endpoint's own headers, already vetted by the caller),
 * then the content type, the user agent and the three signature headers, which always win.
 *
 * @example
 * const headers = deliveryRequestHeaders(buildWebhookHeaders({ secrets, msgId, timestamp, body }));
 * // { "content-type": "application/json", "user-agent": "claimwire-webhooks/0.1", "webhook-id": …, … }
 */
export function deliveryRequestHeaders(
  webhookHeaders: WebhookHeaders,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...extra,
    "content-type": WEBHOOK_CONTENT_TYPE,
    "user-agent": WEBHOOK_USER_AGENT,
    ...webhookHeaders,
  };
}
