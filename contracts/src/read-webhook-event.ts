import type { z } from "zod";
import {
  WEBHOOK_EVENT_SCHEMAS,
  type WebhookEvent,
  type WebhookEventType,
} from "./webhook-events.ts";

/**
 * The parsed JSON of a webhook body whose `type` this version of the contracts does not
 * know: an event type the insurer added after it was built. Kept as received.
 *
 * @example
 * const payload: UnknownWebhookPayload = { type: "claim.reopened", timestamp: "…", data: {} };
 */
export type UnknownWebhookPayload = { readonly type: string; readonly [key: string]: unknown };

/**
 * What a consumer makes of a webhook body (docs/contracts.md, "What consumers must do"):
 * - `known`: a type these contracts define, checked against its schema; fields the schema
 *   does not declare (added since) are dropped;
 * - `unknown`: a type they do not define — accept it and ignore it, never fail on it;
 * - `invalid`: not an object with a `type`, or a known type that breaks its schema.
 *
 * @example
 * const read: ReadWebhookEvent = readWebhookEvent(item.data);
 * if (read.kind === "known") apply(read.event);
 */
export type ReadWebhookEvent =
  | { kind: "known"; event: WebhookEvent }
  | { kind: "unknown"; type: string; payload: UnknownWebhookPayload }
  | { kind: "invalid"; problem: string; error?: z.ZodError };

/**
 * True for an event type these contracts define. Own keys only, so a `type` such as
 * `"constructor"` or `"__proto__"` is unknown rather than a lookup on the prototype.
 *
 * @example
 * isKnownEventType("claim.paid"); // true
 * isKnownEventType("claim.reopened"); // false: added by a newer insurer
 */
export function isKnownEventType(type: string): type is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENT_SCHEMAS, type);
}

/**
 * Reads a parsed webhook body the way every consumer of the insurer's webhooks must:
 * a new event type and a new field are not errors (the insurer adds both without a new
 * version); only a body that is not an event at all, or a known event that breaks its
 * schema, is.
 *
 * @example
 * const read = readWebhookEvent(JSON.parse(body));
 * if (read.kind === "invalid") throw new Error(read.problem);
 * if (read.kind === "unknown") return; // acknowledge, ignore
 * apply(read.event);
 */
export function readWebhookEvent(body: unknown): ReadWebhookEvent {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { kind: "invalid", problem: `(body): expected an object, received ${typeName(body)}` };
  }
  const type = Object.hasOwn(body, "type") ? (body as { type: unknown }).type : undefined;
  if (typeof type !== "string" || type.length === 0) {
    return {
      kind: "invalid",
      problem: `type: expected the event type as a non-empty string, received ${typeName(type)}`,
    };
  }
  if (!isKnownEventType(type)) {
    return { kind: "unknown", type, payload: body as UnknownWebhookPayload };
  }
  const parsed = WEBHOOK_EVENT_SCHEMAS[type].safeParse(body);
  if (parsed.success) return { kind: "known", event: parsed.data };
  const problem = parsed.error.issues
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ");
  return { kind: "invalid", problem, error: parsed.error };
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === "") return "an empty string";
  return typeof value;
}
