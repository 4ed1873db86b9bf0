import { inSpan, SpanKind, TRACE_HEADERS, traceHeaders } from "@claimwire/telemetry";
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
export function sendWebhook(input: SendWebhookInput): Promise<DeliveryResult> {
  const attributes = { "http.request.method": "POST", ...serverOf(input.url) };
  return inSpan("POST", { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const result = await post(input, traceHeaders());
    if (result.statusCode !== null) {
      span.setAttribute("http.response.status_code", result.statusCode);
    }
    if (result.errorClass) span.setAttribute("error.type", result.errorClass);
    return result;
  });
}

/** The POST itself; `trace` (the client span's traceparent) wins over an endpoint's own. */
async function post(
  input: SendWebhookInput,
  trace: Record<string, string>,
): Promise<DeliveryResult> {
  const now = input.now ?? Date.now;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), input.timeoutMs);
  try {
    const response = await request(input.url, {
      dispatcher: input.dispatcher,
      method: "POST",
      // The endpoint's headers go under ours, so the signature and body headers always
      // win (reserved names are dropped from them besides: custom-headers.ts).
      headers: deliveryRequestHeaders(input.webhookHeaders, {
        ...withoutTraceHeaders(sendableCustomHeaders(input.customHeaders ?? {}), trace),
        ...trace,
      }),
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

/** An endpoint's own trace headers give way to ours when we send some (any letter case). */
function withoutTraceHeaders(
  headers: Record<string, string>,
  trace: Record<string, string>,
): Record<string, string> {
  if (Object.keys(trace).length === 0) return headers;
  const ours = new Set<string>(TRACE_HEADERS);
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !ours.has(name.toLowerCase())),
  );
}

/** The endpoint's host and port only: its path and query may hold the clinic's tokens. */
function serverOf(text: string): { "server.address"?: string; "server.port"?: number } {
  if (!URL.canParse(text)) return {};
  const url = new URL(text);
  return {
    "server.address": url.hostname,
    "server.port": Number(url.port) || (url.protocol === "https:" ? 443 : 80),
  };
}
