import { randomBytes } from "node:crypto";

const PREFIX = "whsec_";
// Standard Webhooks spec: a secret is 24 to 64 random bytes (192 to 512 bits). We make and
// sign with such keys only; a verifier takes any key that is not empty, as the reference
// libraries do, so a receiver configured with a sender's shorter key still works.
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/**
 * Creates a new endpoint secret: `whsec_` followed by base64 of 32 random bytes.
 *
 * @example
 * const secret = generateSecret(); // "whsec_Qm9vbS…="
 */
export function generateSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

/**
 * Turns a secret (with or without the `whsec_` prefix) into the HMAC key bytes.
 * Throws a `TypeError` when the secret is not base64, or not 24 to 64 bytes long; with
 * `{ forVerifying: true }`, when it is empty (any other length verifies, as in the
 * reference libraries).
 *
 * @example
 * const key = decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"); // 24 bytes
 */
export function decodeSecret(secret: string, opts: { forVerifying?: boolean } = {}): Buffer {
  if (typeof secret !== "string") {
    throw new TypeError("Webhook secret must be a string");
  }
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  // Node's decoder silently skips characters that are not base64, so only a round trip
  // notices a typo or a secret pasted in another format.
  if (key.toString("base64") !== encoded) {
    throw new TypeError('Webhook secret is not valid base64 (expected "whsec_" and base64)');
  }
  if (opts.forVerifying) {
    if (key.length === 0) throw new TypeError("Webhook secret is empty");
    return key;
  }
  if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new TypeError(
      `Webhook secret must decode to ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes, got ${key.length}`,
    );
  }
  return key;
}
