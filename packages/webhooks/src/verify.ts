import { decodeVerificationKey, signatureMatcher } from "./verification-key.ts";
import { WebhookVerificationError } from "./webhook-verification-error.ts";

/** A WHATWG `Headers` (fetch, Hono, undici) or anything else with `get()`. */
export type HeadersGetter = { get(name: string): string | null };
/** A plain record such as Node's `IncomingHttpHeaders`; keys may be in any case. */
export type HeadersRecord = Record<string, string | readonly string[] | undefined>;

export type VerifyWebhookOptions = {
  /**
   * One key, or several while keys are being rotated: a `whsec_` secret checks the `v1`
   * (HMAC) signatures, a `whpk_` ed25519 public key checks the `v1a` ones.
   */
  secret: string | readonly string[];
  headers: HeadersGetter | HeadersRecord;
  /** The raw request body, exactly as received. */
  body: string | Uint8Array;
  toleranceSeconds?: number;
  /** Current time in milliseconds; injectable for tests. */
  now?: () => number;
};

/**
 * A delivery whose signature and timestamp checked out: its `webhook-id`, its
 * `webhook-timestamp` (seconds) and the body exactly as signed, not parsed.
 *
 * @example
 * const { msgId, body } = verifyWebhook({ secret, headers, body: rawBody });
 * const payload = JSON.parse(body); // whatever the sender sends
 */
export type VerifiedWebhook = { msgId: string; timestamp: number; body: string };

const REQUIRED_HEADERS = ["webhook-id", "webhook-timestamp", "webhook-signature"] as const;

/**
 * Checks a Standard Webhooks delivery and returns its id, timestamp and body, or throws
 * a `WebhookVerificationError` whose `reason` says why it was rejected.
 *
 * @example
 * app.post("/webhooks", async (c) => {
 *   const body = new Uint8Array(await c.req.arrayBuffer());
 *   const { msgId, body: json } = verifyWebhook({ secret, headers: c.req.raw.headers, body });
 *   // …store msgId in the inbox, then JSON.parse(json)
 * });
 */
export function verifyWebhook({
  secret,
  headers,
  body,
  toleranceSeconds = 300,
  now = () => Date.now(),
}: VerifyWebhookOptions): VerifiedWebhook {
  // Decoded first so a misconfigured key fails loudly, not as a rejected request.
  const keys = (typeof secret === "string" ? [secret] : secret).map(decodeVerificationKey);
  if (keys.length === 0) {
    throw new TypeError("At least one webhook secret is required to verify");
  }

  const msgId = readHeader(headers, "webhook-id");
  const timestampHeader = readHeader(headers, "webhook-timestamp");
  const signatures = readHeader(headers, "webhook-signature");
  if (!msgId || !timestampHeader || !signatures) {
    const missing = REQUIRED_HEADERS.filter((name) => !readHeader(headers, name));
    throw new WebhookVerificationError(
      "missing_headers",
      `Missing required webhook header(s): ${missing.join(", ")}`,
    );
  }

  const timestamp = Number(timestampHeader);
  if (!/^\d+$/.test(timestampHeader) || !Number.isSafeInteger(timestamp)) {
    throw new WebhookVerificationError(
      "invalid_timestamp",
      "The webhook-timestamp header is not a whole number of seconds since the Unix epoch",
    );
  }
  const nowSeconds = Math.floor(now() / 1000);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_too_old",
      `The webhook timestamp is ${nowSeconds - timestamp}s old; at most ${toleranceSeconds}s is accepted`,
    );
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_in_future",
      `The webhook timestamp is ${timestamp - nowSeconds}s in the future; at most ${toleranceSeconds}s is accepted`,
    );
  }

  const matches = signatureMatcher(keys, { msgId, timestamp, body });
  for (const entry of signatures.split(" ")) {
    const [version, signature] = entry.split(",");
    if (!version || !signature) continue;
    if (matches(version, signature)) {
      return {
        msgId,
        timestamp,
        body: typeof body === "string" ? body : new TextDecoder().decode(body),
      };
    }
  }
  throw new WebhookVerificationError(
    "invalid_signature",
    "No signature in webhook-signature matches the body for any configured key",
  );
}

function readHeader(headers: HeadersGetter | HeadersRecord, name: string): string | undefined {
  if (isHeadersGetter(headers)) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    // Repeated headers are joined the way WHATWG `Headers.get()` joins them (RFC 9110 §5.3),
    // so both header shapes verify the same way.
    return typeof value === "string" || value === undefined ? value : value.join(", ");
  }
  return undefined;
}

function isHeadersGetter(headers: HeadersGetter | HeadersRecord): headers is HeadersGetter {
  return typeof headers.get === "function";
}
