import type { WebhookEvent } from "./webhook-events.ts";

/**
 * The exact bytes a webhook delivery signs and POSTs: the event envelope serialised one
 * way everywhere (fan-out, retries, resends, and the SDK's `claimwire listen`), so every
 * attempt and every copy carries the same body and verifies alike.
 *
 * @example
 * const body = webhookBody(WEBHOOK_EVENT_EXAMPLES["claim.paid"]); // '{"type":"claim.paid",…}'
 */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify(event);
}
