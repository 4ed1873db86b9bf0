import { type WebhookEvent, WebhookEventSchema } from "@claimwire/contracts";
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
 * A delivery that passed verification.
 *
 * @example
 * const { id, timestamp, event }: VerifiedWebhookEvent = verifyWebhook({ body, headers, secret });
 * if (event.type === "claim.paid") console.log(id, timestamp, event.data.paymentReference);
 */
export type VerifiedWebhookEvent = {
  /** The `webhook-id`: stable across retries, so deduplicate on it. */
  id: string;
  /** When this attempt was signed (`webhook-timestamp`). */
  timestamp: Date;
  /** The event, checked against its schema; narrow it on `type`. */
  event: WebhookEvent;
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
 * the typed, schema-checked event, or throws a `WebhookVerificationError` whose `reason`
 * says why it was rejected. `secret` takes `whsec_` secrets and `whpk_` public keys,
 * alone or mixed in an array.
 *
 * @example
 * app.post("/webhooks/insurer", async (c) => {
 *   const body = new Uint8Array(await c.req.arrayBuffer());
 *   try {
 *     const { id, event } = verifyWebhook({ body, headers: c.req.raw.headers, secret });
 *     inbox.insertIgnoringDuplicates(id, event); // dedupe on `id`, process later
 *     return c.body(null, 204);
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

  let json: unknown;
  try {
    json = JSON.parse(verified.body);
  } catch (error) {
    throw new WebhookVerificationError("invalid_json", "The webhook body is not valid JSON", {
      cause: error,
    });
  }

  const parsed = WebhookEventSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
      .join("; ");
    throw new WebhookVerificationError(
      "invalid_payload",
      `The webhook body is not a known claimwire event: ${issues}`,
      { cause: parsed.error },
    );
  }

  return {
    id: verified.msgId,
    timestamp: new Date(verified.timestamp * 1000),
    event: parsed.data,
  };
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
