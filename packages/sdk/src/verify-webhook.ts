import type { IncomingMessage } from "node:http";
import { type WebhookEvent, WebhookEventSchema } from "@claimwire/contracts";
import {
  type HeadersGetter,
  type HeadersRecord,
  WebhookVerificationError as SignatureError,
  type WebhookVerificationReason as SignatureReason,
  verifyWebhook as verifySignature,
} from "@claimwire/webhooks";

/** Why a delivery was rejected: a signature/timestamp reason, or a body that is not an event. */
export type WebhookVerificationReason = SignatureReason | "invalid_json" | "invalid_payload";

/**
 * The one error the SDK throws for a delivery it rejects. Messages never contain a secret
 * or an expected signature. A misconfigured secret is a `TypeError` instead: that is a bug
 * in the receiver, not a bad request.
 */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

export type VerifyWebhookOptions = {
  /** The raw request body, exactly as received (never re-serialised JSON). */
  body: string | Uint8Array;
  /** A WHATWG `Headers`, or a record such as Node's `req.headers`. */
  headers: HeadersGetter | HeadersRecord;
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

export type VerifiedWebhookEvent = {
  /** The `webhook-id`: stable across retries, so deduplicate on it. */
  id: string;
  /** When this attempt was signed (`webhook-timestamp`). */
  timestamp: Date;
  event: WebhookEvent;
};

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
  let verified: ReturnType<typeof verifySignature>;
  try {
    verified = verifySignature(options);
  } catch (error) {
    if (error instanceof SignatureError) {
      throw new WebhookVerificationError(error.reason, error.message, { cause: error });
    }
    throw error;
  }

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
 * Verifies a delivery received by Node's `http` server (or Express/Fastify) given its raw
 * body — configure the framework to keep it (e.g. `express.raw({ type: "application/json" })`).
 *
 * @example
 * app.post("/webhooks/insurer", express.raw({ type: "application/json" }), (req, res) => {
 *   const { id, event } = verifyNodeRequest(req, req.body, process.env.WEBHOOK_SECRET!);
 *   if (event.type === "claim.approved") console.log(event.data.approvedAmount);
 *   res.sendStatus(204);
 * });
 */
export function verifyNodeRequest(
  req: IncomingMessage,
  rawBody: string | Uint8Array,
  secret: string | readonly string[],
  options: VerifyRequestOptions = {},
): VerifiedWebhookEvent {
  return verifyWebhook({ ...options, body: rawBody, headers: req.headers, secret });
}

/**
 * Verifies a fetch `Request` (Hono, Next.js route handlers, Deno, Bun); consumes its body.
 *
 * @example
 * export async function POST(request: Request) {
 *   // An ed25519 endpoint: verify with its public key (nothing secret on the receiver).
 *   const { id, event } = await verifyFetchRequest(request, process.env.WEBHOOK_PUBLIC_KEY!);
 *   await inbox.save(id, event);
 *   return new Response(null, { status: 204 });
 * }
 */
export async function verifyFetchRequest(
  request: Request,
  secret: string | readonly string[],
  options: VerifyRequestOptions = {},
): Promise<VerifiedWebhookEvent> {
  // The bytes, not `text()`: decoding and re-encoding could change what was signed.
  const body = new Uint8Array(await request.arrayBuffer());
  return verifyWebhook({ ...options, body, headers: request.headers, secret });
}
