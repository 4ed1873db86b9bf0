import type { DeliveryTask } from "@claimwire/queue";
import { buildWebhookHeaders, type WebhookHeaders } from "@claimwire/webhooks";
import type { Dispatcher } from "undici";
import { type DeliveryResult, failure } from "./classify-outcome.ts";
import type { EndpointLookup } from "./read-endpoint.ts";
import { sendWebhook } from "./send-webhook.ts";
import { activeSigningKeys } from "./signing-keys.ts";

export type AttemptDeliveryInput = {
  task: DeliveryTask;
  endpoint: EndpointLookup;
  dispatcher: Dispatcher;
  timeoutMs: number;
  /** Wall-clock milliseconds: the webhook timestamp and which retiring keys still sign. */
  now: () => number;
};

/**
 * One attempt of one task: refuses without a POST when the endpoint is gone, disabled or
 * misconfigured; otherwise signs afresh (new timestamp, current + unexpired retiring keys)
 * and POSTs, with the endpoint's custom headers on every attempt. Never throws.
 */
export async function attemptDelivery({
  task,
  endpoint,
  dispatcher,
  timeoutMs,
  now,
}: AttemptDeliveryInput): Promise<DeliveryResult> {
  if (endpoint.kind === "deleted") {
    return failure("endpoint_deleted", `Endpoint ${task.endpointId} no longer exists`);
  }
  if (endpoint.kind === "invalid") {
    return failure("endpoint_config_invalid", `Endpoint config is invalid: ${endpoint.problem}`);
  }
  const { config } = endpoint;
  if (!config.enabled) return failure("endpoint_disabled", `Endpoint ${config.id} is disabled`);
  if (!isHttpUrl(config.url)) {
    return failure("endpoint_config_invalid", "Endpoint URL is not an http(s) URL");
  }

  const nowMs = now();
  let webhookHeaders: WebhookHeaders;
  try {
    webhookHeaders = buildWebhookHeaders({
      secrets: activeSigningKeys(config, nowMs),
      msgId: task.eventId,
      timestamp: Math.floor(nowMs / 1000),
      body: task.body,
    });
  } catch {
    // The error would only say which key format was expected; it never names the key.
    return failure("endpoint_config_invalid", "A signing key of the endpoint is malformed");
  }
  return sendWebhook({
    dispatcher,
    url: config.url,
    webhookHeaders,
    customHeaders: config.headers,
    body: task.body,
    timeoutMs,
    now,
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
