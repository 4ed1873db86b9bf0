import { type KeyObject, timingSafeEqual, verify } from "node:crypto";
import { decodeSecret } from "./secret.ts";
import { hmacSignature, type SignedContent, signedBytes } from "./sign.ts";
import {
  decodeSigningPublicKey,
  SIGNING_PUBLIC_KEY_PREFIX,
  SIGNING_SECRET_KEY_PREFIX,
} from "./signing-key-pair.ts";

/**
 * A key a receiver verifies with, and the one signature version it checks: a `whsec_`
 * secret checks `v1` (HMAC) entries, a `whpk_` public key checks `v1a` (ed25519) entries.
 */
export type VerificationKey =
  | { version: "v1"; secret: Buffer }
  | { version: "v1a"; publicKey: KeyObject };

const ED25519_SIGNATURE_BYTES = 64;

/**
 * Decodes a receiver's key, throwing a `TypeError` when it is malformed, so a
 * misconfigured receiver fails loudly instead of rejecting every request.
 */
export function decodeVerificationKey(key: string): VerificationKey {
  if (typeof key === "string" && key.startsWith(SIGNING_PUBLIC_KEY_PREFIX)) {
    return { version: "v1a", publicKey: decodeSigningPublicKey(key) };
  }
  if (typeof key === "string" && key.startsWith(SIGNING_SECRET_KEY_PREFIX)) {
    // The secret key must stay with the sender; a receiver only ever needs the public one.
    throw new TypeError(
      `Verify with the endpoint's "${SIGNING_PUBLIC_KEY_PREFIX}" public key, not its "${SIGNING_SECRET_KEY_PREFIX}" secret key`,
    );
  }
  return { version: "v1", secret: decodeSecret(key, { forVerifying: true }) };
}

/**
 * A check of `webhook-signature` entries (`v1,…`, `v1a,…`) against the signed content:
 * true when the entry is valid under one of the keys of its version. The HMACs and the
 * signed bytes are computed once, on the first entry that needs them, however many
 * entries the header lists.
 */
export function signatureMatcher(
  keys: readonly VerificationKey[],
  content: SignedContent,
): (version: string, signature: string) => boolean {
  let expectedHmacs: Buffer[] | undefined;
  let contentBytes: Buffer | undefined;
  return (version, signature) => {
    if (version === "v1") {
      expectedHmacs ??= keys.flatMap((key) =>
        key.version === "v1" ? [Buffer.from(hmacSignature(key.secret, content))] : [],
      );
      // Compare base64 text, not decoded bytes: Node's base64 decoder ignores stray
      // characters, so decoding would let several header values count as one signature.
      const received = Buffer.from(signature);
      // timingSafeEqual throws on unequal lengths; the length of a signature is no secret.
      return expectedHmacs.some(
        (e) => e.length === received.length && timingSafeEqual(e, received),
      );
    }
    if (version === "v1a") {
      // An ed25519 check compares nothing secret, but the encoding must still be exact
      // for the same reason as above.
      const bytes = Buffer.from(signature, "base64");
      if (bytes.length !== ED25519_SIGNATURE_BYTES || bytes.toString("base64") !== signature) {
        return false;
      }
      contentBytes ??= signedBytes(content);
      const signed = contentBytes;
      return keys.some(
        (key) => key.version === "v1a" && verify(null, signed, key.publicKey, bytes),
      );
    }
    return false;
  };
}
