import { deliveryRequestHeaders, type WebhookHeaders } from "@claimwire/webhooks";
import { type Dispatcher, request } from "undici";
import { classifyError, classifyResponse, type DeliveryResult } from "./classify-outcome.ts";
import { sendableCustomHeaders } from "./custom-headers.ts";
import { readResponseBody } from "./read-response-body.ts";

export type SendWebhookInput = {
  /** The guarded keep-alive Agent (createDeliveryDispatcher). */
  dispatcher: Dispatcher;
  url: string;
  /** The three webhook-* headers, signed at send time. */
  webhookHeaders: WebhookHeaders;
  /** The endpoint's own headers (EndpointConfig.headers); ours win over them. */
  customHeaders?: Readonly<Record<string, string>>;
  /** The exact bytes that were signed. */
  body: string;
  /** One deadline for connect + response headers + response body. */
  timeoutMs: number;
  /** Wall-clock milliseconds, for a Retry-After given as an HTTP-date. */
  now?: () => number;
};

/**
 * POSTs one webhook and classifies the result. It never throws and never follows a
 * redirect (undici's `request()` only does with the redirect interceptor, which we don't
 * install), so a 3xx is reported like any other non-2xx.
 *
 * @example
 * const result = await sendWebhook({ dispatcher, url, webhookHeaders, body, timeoutMs: 15_000 });
 * // { outcome: "failed", statusCode: 500, errorClass: "http_status", error: "HTTP 500", … }
 */
export async function sendWebhook(input: SendWebhookInput): Promise<DeliveryResult> {
  const now = input.now ?? Date.now;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), input.timeoutMs);
  try {
    const response = await request(input.url, {
      dispatcher: input.dispatcher,
      method: "POST",
      // The endpoint's headers go under ours, so the signature and body headers always
      // win (reserved names are dropped from them besides: custom-headers.ts).
      headers: deliveryRequestHeaders(
        input.webhookHeaders,
        sendableCustomHeaders(input.customHeaders ?? {}),
      ),
      body: input.body,
      signal: deadline.signal,
    });
    // The status decides the outcome: a body that stalls or breaks after a 2xx does not
    // undo a delivery the receiver already accepted.
    const body = await readResponseBody(response.body);
    return classifyResponse({
      statusCode: response.statusCode,
      headers: response.headers,
      body,
      nowMs: now(),
    });
  } catch (err) {
    return classifyError(err, { timedOut: deadline.signal.aborted, timeoutMs: input.timeoutMs });
  } finally {
    clearTimeout(timer);
  }
}
