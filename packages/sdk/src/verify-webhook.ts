import {
  readWebhookEvent,
  type UnknownWebhookPayload,
  type WebhookEvent,
} from "@claimwire/contracts";
import {
  type HeadersGetter,
  type HeadersRecord,
  verifyWebhook as verifySignature,
  WebhookVerificationError,
} from "@claimwire/webhooks";

/**
 * Request headers as the SDK reads them: a WHATWG `Headers` (fetch, Hono, undici) or a
 * plain record such as Node's, Express's or Fastify's `req.headers` (keys in any case).
 *
 * @example
 * const fromFetch: WebhookHeaders = request.headers;
 * const fromNode: WebhookHeaders = req.headers;
 * const literal: WebhookHeaders = { "webhook-id": "evt_…", "webhook-timestamp": "…", "webhook-signature": "v1,…" };
 */
export type WebhookHeaders = HeadersGetter | HeadersRecord;

/**
 * What {@link verifyWebhook} checks.
 *
 * @example
 * const options: VerifyWebhookOptions = {
 *   body: rawBody,
 *   headers: req.headers,
 *   secret: [process.env.WEBHOOK_SECRET!, process.env.WEBHOOK_SECRET_NEXT!],
 * };
 */
export type VerifyWebhookOptions = {
  /** The raw request body, exactly as received (never re-serialised JSON). */
  body: string | Uint8Array;
  /** A WHATWG `Headers`, or a record such as Node's `req.headers`. */
  headers: WebhookHeaders;
  /**
   * The endpoint's key, or several while it is being rotated: its `whsec_…` secret
   * (checks `v1` HMAC signatures) and/or its `whpk_…` ed25519 public key (checks `v1a`
   * signatures). Any one valid signature under any one key is enough.
   */
  secret: string | readonly string[];
  /** How far the `webhook-timestamp` may be from now; 300 s by default. */
  toleranceSeconds?: number;
  /** Current time in milliseconds; injectable for tests. */
  now?: () => number;
};

/**
 * A delivery that passed verification: an event this SDK knows (`known: true`, typed and
 * schema-checked) or one of a type the insurer added after this SDK was built
 * (`known: false`). Check `known` first; then narrow a known `event` on its `type`.
 *
 * @example
 * const verified: VerifiedWebhookEvent = verifyWebhook({ body, headers, secret });
 * if (!verified.known) return res.sendStatus(204); // a newer event type: acknowledge, ignore
 * if (verified.event.type === "claim.paid") console.log(verified.event.data.paymentReference);
 */
export type VerifiedWebhookEvent = VerifiedKnownWebhookEvent | VerifiedUnknownWebhookEvent;

/**
 * A verified delivery of an event type this SDK knows, checked against its schema (fields
 * added since are dropped).
 *
 * @example
 * const { id, timestamp, event }: VerifiedKnownWebhookEvent = verified; // after `if (verified.known)`
 * if (event.type === "claim.paid") console.log(id, timestamp, event.data.paymentReference);
 */
export type VerifiedKnownWebhookEvent = {
  known: true;
  /** The `webhook-id`: stable across retries, so deduplicate on it. */
  id: string;
  /** When this attempt was signed (`webhook-timestamp`). */
  timestamp: Date;
  /** The event, checked against its schema; narrow it on `type`. */
  event: WebhookEvent;
};

/**
 * A verified delivery of an event type this SDK does not know: the insurer added it after
 * this SDK was built. The signature is good; nothing else about it is checked. Acknowledge
 * it (2xx) and ignore it, or keep it for a later version of your code — never reject it,
 * or the insurer retries it for days and disables your endpoint.
 *
 * @example
 * if (!verified.known) {
 *   logger.info({ webhookId: verified.id, type: verified.type }, "ignored an event type we do not know");
 *   return new Response(null, { status: 204 });
 * }
 */
export type VerifiedUnknownWebhookEvent = {
  known: false;
  /** The `webhook-id`: stable across retries, so deduplicate on it. */
  id: string;
  /** When this attempt was signed (`webhook-timestamp`). */
  timestamp: Date;
  /** The event's `type`, e.g. `"claim.reopened"`: none of `WEBHOOK_EVENT_TYPES`. */
  type: string;
  /** The body as parsed JSON, unchecked: an object with a string `type`. */
  payload: UnknownWebhookPayload;
};

/**
 * Options of the request adapters (`verifyRawBody`, `verifyNodeRequest`, `verifyFetchRequest`).
 *
 * @example
 * const verified = await verifyFetchRequest(request, secret, { toleranceSeconds: 60 });
 */
export type VerifyRequestOptions = Pick<VerifyWebhookOptions, "toleranceSeconds" | "now">;

/**
 * Verifies a claimwire webhook (Standard Webhooks signature and timestamp) and returns
 * the delivery, or throws a `WebhookVerificationError` whose `reason` says why it was
 * rejected. An event type this SDK knows comes back typed and schema-checked
 * (`known: true`); one the insurer added later comes back as `known: false` with its raw
 * payload, never as an error: acknowledge it and ignore it. `secret` takes `whsec_`
 * secrets and `whpk_` public keys, alone or mixed in an array.
 *
 * @example
 * app.post("/webhooks/insurer", async (c) => {
 *   const body = new Uint8Array(await c.req.arrayBuffer());
 *   try {
 *     const verified = verifyWebhook({ body, headers: c.req.raw.headers, secret });
 *     if (verified.known) inbox.insertIgnoringDuplicates(verified.id, verified.event);
 *     return c.body(null, 204); // an unknown type too: 2xx, or it is retried for days
 *   } catch (error) {
 *     if (error instanceof WebhookVerificationError) {
 *       return c.json({ error: error.message, reason: error.reason }, 401);
 *     }
 *     throw error;
 *   }
 * });
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifiedWebhookEvent {
  assertRawBody(options.body);
  // Signature and timestamp rejections are already this package's WebhookVerificationError.
  const verified = verifySignature(options);
  const id = verified.msgId;
  const timestamp = new Date(verified.timestamp * 1000);

  let json: unknown;
  try {
    json = JSON.parse(verified.body);
  } catch (error) {
    throw new WebhookVerificationError("invalid_json", "The webhook body is not valid JSON", {
      cause: error,
    });
  }

  // A new event type or a new field is how the insurer evolves without a new version:
  // neither is an error (docs/contracts.md). Only a body that is no event at all, or a
  // known event that breaks its schema, is.
  const read = readWebhookEvent(json);
  switch (read.kind) {
    case "known":
      return { known: true, id, timestamp, event: read.event };
    case "unknown":
      return { known: false, id, timestamp, type: read.type, payload: read.payload };
    case "invalid":
      throw new WebhookVerificationError(
        "invalid_payload",
        `The webhook body is not a valid claimwire event: ${read.problem}`,
        { cause: read.error },
      );
  }
}

/**
 * The signature covers the exact bytes sent. Frameworks hand over something else when
 * a JSON body parser ran first (an object) or nothing kept the body (undefined); say so
 * instead of failing every delivery as "invalid_signature".
 */
function assertRawBody(body: unknown): asserts body is string | Uint8Array {
  if (typeof body === "string" || body instanceof Uint8Array) return;
  const got = body === null ? "null" : typeof body;
  throw new TypeError(
    `The webhook body must be the raw request body (a string, Buffer or Uint8Array), got ${got}. ` +
      "Keep the raw bytes for this route, e.g. express.raw({ type: 'application/json' }), " +
      "or Fastify's addContentTypeParser('application/json', { parseAs: 'buffer' }, …).",
  );
}
