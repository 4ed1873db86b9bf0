import type { WebhookHeaders } from "@claimwire/webhooks";
import { type Dispatcher, request } from "undici";
import { classifyError, classifyResponse, type DeliveryResult } from "./classify-outcome.ts";

export const USER_AGENT = "claimwire-webhooks/0.1";

/** How much of a response body is kept for the error text. */
const KEPT_BODY_BYTES = 2048;
/** Reading past this is not worth it; the connection is dropped instead of reused. */
const DRAINED_BODY_BYTES = 64 * 1024;

export type SendWebhookInput = {
  /** A shared keep-alive Agent or Pool. */
  dispatcher: Dispatcher;
  url: string;
  /** The three webhook-* headers, signed at send time. */
  webhookHeaders: WebhookHeaders;
  /** The exact bytes that were signed. */
  body: string;
  /** One deadline for connect + response headers + response body. */
  timeoutMs: number;
};

/**
 * POSTs one webhook and classifies the result. It never throws and never follows a
 * redirect (undici's `request()` only does with the redirect interceptor, which we don't
 * install), so a 3xx is reported like any other non-2xx.
 *
 * @example
 * const result = await sendWebhook({ dispatcher, url, webhookHeaders, body, timeoutMs: 15_000 });
 * // { outcome: "failed", statusCode: 500, error: "http_500" }
 */
export async function sendWebhook(input: SendWebhookInput): Promise<DeliveryResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), input.timeoutMs);
  try {
    const response = await request(input.url, {
      dispatcher: input.dispatcher,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        ...input.webhookHeaders,
      },
      body: input.body,
      signal: deadline.signal,
    });
    // The status decides the outcome: a body that stalls or breaks after a 2xx does not
    // undo a delivery the receiver already accepted.
    const excerpt = await readExcerpt(response.body).catch(() => "");
    return classifyResponse(response.statusCode, excerpt);
  } catch (err) {
    return classifyError(err, { timedOut: deadline.signal.aborted });
  } finally {
    clearTimeout(timer);
  }
}

/** Reads the start of a body and drains the rest (up to a limit) so the socket is reused. */
async function readExcerpt(body: AsyncIterable<Buffer>): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let readBytes = 0;
  for await (const chunk of body) {
    readBytes += chunk.length;
    if (keptBytes < KEPT_BODY_BYTES) {
      const part = chunk.subarray(0, KEPT_BODY_BYTES - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
    if (readBytes > DRAINED_BODY_BYTES) break;
  }
  return Buffer.concat(kept).toString("utf8");
}
