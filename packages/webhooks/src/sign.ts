import { createHmac, type KeyObject, sign } from "node:crypto";
import { decodeSecret } from "./secret.ts";
import { decodeSigningSecretKey, SIGNING_SECRET_KEY_PREFIX } from "./signing-key-pair.ts";

/** What a webhook signature covers: `${msgId}.${timestamp}.${body}`. */
export type SignedContent = {
  msgId: string;
  /** Whole seconds since the Unix epoch. */
  timestamp: number;
  /** The exact bytes sent on the wire; a string is encoded as UTF-8. */
  body: string | Uint8Array;
};

export type WebhookHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** Base64 HMAC-SHA256 of the signed content; shared by signing and verification. */
export function hmacSignature(key: Uint8Array, { msgId, timestamp, body }: SignedContent): string {
  // Two updates instead of one template string so a Uint8Array body is hashed as given,
  // never decoded and re-encoded.
  return createHmac("sha256", key).update(`${msgId}.${timestamp}.`).update(body).digest("base64");
}

/** The exact bytes an ed25519 signature covers (one-shot: ed25519 has no streaming API). */
export function signedBytes({ msgId, timestamp, body }: SignedContent): Buffer {
  const bodyBytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return Buffer.concat([Buffer.from(`${msgId}.${timestamp}.`, "utf8"), bodyBytes]);
}

/** Base64 ed25519 signature of the signed content. */
function ed25519Signature(privateKey: KeyObject, content: SignedContent): string {
  return sign(null, signedBytes(content), privateKey).toString("base64");
}

/**
 * Signs one message with one key, chosen by its prefix: a `whsec_` secret (or a bare
 * base64 one) gives an HMAC-SHA256 `v1,<base64>` signature, a `whsk_` ed25519 secret key
 * gives a `v1a,<base64>` signature.
 *
 * @example
 * const signature = signPayload({
 *   secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
 *   msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
 *   timestamp: 1614265330,
 *   body: '{"test": 2432232314}',
 * }); // "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
 */
export function signPayload({ secret, ...content }: SignedContent & { secret: string }): string {
  if (!Number.isSafeInteger(content.timestamp) || content.timestamp < 0) {
    throw new TypeError(
      `Webhook timestamp must be whole seconds since the epoch, got ${content.timestamp}`,
    );
  }
  if (secret.startsWith(SIGNING_SECRET_KEY_PREFIX)) {
    return `v1a,${ed25519Signature(decodeSigningSecretKey(secret), content)}`;
  }
  return `v1,${hmacSignature(decodeSecret(secret), content)}`;
}

/**
 * Signs one message with every given key (`whsec_` → `v1,…`, `whsk_` → `v1a,…`) and
 * returns the space-separated `webhook-signature` value, so receivers on the old or the
 * new key, HMAC or ed25519, all accept it while a key is being rotated.
 *
 * @example
 * const header = signatureHeader([newSecret, oldSecret, signingKey], { msgId, timestamp, body });
 * // "v1,… v1,… v1a,…"
 */
export function signatureHeader(secrets: readonly string[], content: SignedContent): string {
  if (secrets.length === 0) {
    throw new TypeError("At least one webhook secret is required to sign");
  }
  return secrets.map((secret) => signPayload({ secret, ...content })).join(" ");
}

/**
 * Builds the three Standard Webhooks headers for one delivery, signed with every key in
 * `secrets` (see `signatureHeader`).
 *
 * @example
 * const headers = buildWebhookHeaders({
 *   secrets: [endpoint.secret],
 *   msgId: "msg_2Yh…",
 *   timestamp: Math.floor(Date.now() / 1000),
 *   body,
 * });
 * await fetch(endpoint.url, { method: "POST", headers, body });
 */
export function buildWebhookHeaders({
  secrets,
  ...content
}: SignedContent & { secrets: readonly string[] }): WebhookHeaders {
  return {
    "webhook-id": content.msgId,
    "webhook-timestamp": String(content.timestamp),
    "webhook-signature": signatureHeader(secrets, content),
  };
}
