import { EventIdSchema, WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import type { JsonSchemaObject } from "@claimwire/contracts/compat";
import {
  type ContractSources,
  jsonSchemaArtefact,
  parseEventType,
} from "@claimwire/contracts/compat";
import { z } from "zod";

/** The three Standard Webhooks headers on every webhook request, as parameter components. */
function headerParameters(): Record<string, JsonSchemaObject> {
  const { $schema: _schema, ...eventId } = z.toJSONSchema(EventIdSchema) as JsonSchemaObject;
  return {
    WebhookId: {
      name: "webhook-id",
      in: "header",
      required: true,
      description:
        "The event id. It is the same on every retry, resend and replay of this event (and it is the event's `id` in the event feed): process each id once.",
      schema: eventId,
    },
    WebhookTimestamp: {
      name: "webhook-timestamp",
      in: "header",
      required: true,
      description:
        "When this attempt was sent, in Unix seconds. Refuse a request whose timestamp is more than 5 minutes from your clock (replay protection).",
      schema: { type: "string", pattern: "^[0-9]+$" },
    },
    WebhookSignature: {
      name: "webhook-signature",
      in: "header",
      required: true,
      description:
        "Space-separated signatures of `<webhook-id>.<webhook-timestamp>.<body>`: `v1,<base64>` (HMAC-SHA256 with the endpoint's `whsec_` secret) or `v1a,<base64>` (ed25519, verified with the endpoint's `whpk_` public key). After a key rotation there are two for a while: accept the request when any one verifies. Verify the raw body bytes, before parsing.",
      schema: { type: "string", pattern: "^v1a?,\\S+( v1a?,\\S+)*$" },
    },
  };
}

const RESPONSES = {
  "2XX": {
    description:
      "Received. Any 2xx answer within the timeout acknowledges the delivery; the body is ignored.",
  },
  "410": {
    description:
      "Gone: the insurer disables the endpoint at once (it stops sending until someone enables it again).",
  },
  default: {
    description:
      "Any other status, a timeout or a connection error fails the attempt. It is retried on the schedule (0s, 5s, 5m, 30m, 2h, 5h, 10h, 14h, 20h, 24h by default, with jitter; `Retry-After` is honoured within limits) and dead-lettered after the last; a clinic can resend or recover dead letters.",
  },
};

/**
 * The document's `webhooks`: one entry per entry of `WEBHOOK_EVENT_SCHEMAS` (what the
 * insurer POSTs to an endpoint subscribed to that type), its body the contract's JSON
 * Schema (a component named by the event type, as in contracts/generated/events/), its
 * example the contract's, and the Standard Webhooks headers.
 */
export function webhooksSection(events: ContractSources["events"]) {
  const schemas: Record<string, JsonSchemaObject> = {};
  const webhooks: Record<string, unknown> = {};
  const examples = WEBHOOK_EVENT_EXAMPLES as Record<string, unknown>;
  for (const { type, schema } of events) {
    const { family, version } = parseEventType(type);
    const {
      $comment: _comment,
      $schema: _schema,
      ...component
    } = jsonSchemaArtefact(
      schema,
      { kind: "event", io: "output", eventType: type, family, version },
      type,
    );
    schemas[type] = component;
    webhooks[type] = {
      post: {
        operationId: `webhook.${type}`,
        summary: type,
        description:
          `${component.description ?? ""}\n\nSent to each enabled endpoint of the clinic subscribed to \`${type}\`, as \`POST <endpoint url>\` with \`content-type: application/json\`.`.trim(),
        tags: ["webhooks"],
        // Not a call to the API: the insurer signs the request (webhook-signature).
        security: [],
        parameters: ["WebhookId", "WebhookTimestamp", "WebhookSignature"].map((name) => ({
          $ref: `#/components/parameters/${name}`,
        })),
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { $ref: `#/components/schemas/${type}` },
              ...(examples[type] ? { example: examples[type] } : {}),
            },
          },
        },
        responses: RESPONSES,
        ...(component.deprecated ? { deprecated: true } : {}),
      },
    };
  }
  return { schemas, webhooks, parameters: headerParameters() };
}
