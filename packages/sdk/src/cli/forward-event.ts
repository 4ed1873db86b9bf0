import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { type FeedEvent, webhookBody } from "@claimwire/contracts";
import { buildWebhookHeaders, deliveryRequestHeaders } from "@claimwire/webhooks";

/** What the local receiver made of one forwarded event. */
export type ForwardResult =
  | { ok: true; status: number; durationMs: number }
  | { ok: false; error: string; durationMs: number };

/** As long as a delivery worker waits for a receiver by default (DELIVERY_TIMEOUT_MS). */
export const FORWARD_TIMEOUT_MS = 15_000;

/**
 * POSTs one feed event to the local URL as the insurer's delivery worker would: the same
 * body bytes (contracts' webhookBody), the same headers (webhooks' deliveryRequestHeaders)
 * and a Standard Webhooks signature made now with `secret`, the event id as `webhook-id`.
 * Plain node:http, so nothing is added to the request that a real delivery lacks, and no
 * redirect is followed. Never throws: a receiver that is down is a result.
 *
 * @example
 * const result = await forwardEvent({ url: "http://localhost:3000/webhooks", secret, event });
 * // { ok: true, status: 204, durationMs: 3 }
 */
export function forwardEvent({
  url,
  secret,
  event,
  now = Date.now,
  timeoutMs = FORWARD_TIMEOUT_MS,
}: {
  url: string;
  secret: string;
  event: FeedEvent;
  now?: () => number;
  timeoutMs?: number;
}): Promise<ForwardResult> {
  const body = webhookBody(event.data);
  const headers = deliveryRequestHeaders(
    buildWebhookHeaders({
      secrets: [secret],
      msgId: event.id,
      timestamp: Math.floor(now() / 1000),
      body,
    }),
  );
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const send = new URL(url).protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        timeout: timeoutMs,
      },
      (res) => {
        // The answer's body is of no use here; read it so the connection can be reused.
        res.resume();
        res.on("end", () =>
          resolve({ ok: true, status: res.statusCode ?? 0, durationMs: elapsed() }),
        );
        res.on("error", () =>
          resolve({ ok: true, status: res.statusCode ?? 0, durationMs: elapsed() }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error) =>
      resolve({ ok: false, error: errorText(error), durationMs: elapsed() }),
    );
    req.end(body);
  });
}

/** `connect ECONNREFUSED 127.0.0.1:3000`, or the aggregate's first reason (IPv4 + IPv6 tries). */
function errorText(error: Error): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) {
    return error.errors[0].message;
  }
  return error.message || (error as NodeJS.ErrnoException).code || "request failed";
}
