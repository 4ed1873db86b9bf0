import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

/** An ed25519 key is `whsk_` + base64 of its 32-byte seed (Standard Webhooks `v1a`). */
export const SIGNING_SECRET_KEY_PREFIX = "whsk_";
/** Its public half is `whpk_` + base64 of the 32-byte raw public key. */
export const SIGNING_PUBLIC_KEY_PREFIX = "whpk_";

const KEY_BYTES = 32;
// Node imports raw ed25519 keys only wrapped in DER; these are the fixed ASN.1 headers of
// a PKCS#8 private key and an SPKI public key for OID 1.3.101.112 (RFC 8410), followed by
// the 32 key bytes.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_ED25519_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** An endpoint's asymmetric signing key: the insurer keeps `secretKey`, the clinic gets `publicKey`. */
export type SigningKeyPair = {
  /** `whsk_` + base64(32-byte seed); signs `v1a` signatures. Never shown after creation. */
  secretKey: string;
  /** `whpk_` + base64(32-byte raw public key); verifies `v1a` signatures. Safe to publish. */
  publicKey: string;
};

/**
 * Creates a new ed25519 key pair for `v1a` webhook signatures.
 *
 * @example
 * const { secretKey, publicKey } = generateSigningKeyPair();
 * // secretKey "whsk_…" goes into the endpoint's signing secrets,
 * // publicKey "whpk_…" goes to the clinic, which verifies with it.
 */
export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  // The JWK export is the simplest way to the raw bytes: `d` is the seed, `x` the public key.
  const { d, x } = privateKey.export({ format: "jwk" });
  if (!d || !x) throw new Error("ed25519 key export did not include the raw key bytes");
  return {
    secretKey: `${SIGNING_SECRET_KEY_PREFIX}${Buffer.from(d, "base64url").toString("base64")}`,
    publicKey: `${SIGNING_PUBLIC_KEY_PREFIX}${rawPublicKey(publicKey).toString("base64")}`,
  };
}

/**
 * The `whpk_` public key that belongs to a `whsk_` secret key, e.g. to show it again.
 *
 * @example
 * derivePublicKey(pair.secretKey) === pair.publicKey; // true
 */
export function derivePublicKey(secretKey: string): string {
  const publicKey = createPublicKey(decodeSigningSecretKey(secretKey));
  return `${SIGNING_PUBLIC_KEY_PREFIX}${rawPublicKey(publicKey).toString("base64")}`;
}

/** Turns a `whsk_` key into a Node private key. Throws a `TypeError` if it is malformed. */
export function decodeSigningSecretKey(secretKey: string): KeyObject {
  const seed = decodeKeyBytes(secretKey, SIGNING_SECRET_KEY_PREFIX, "secret");
  return createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
}

/** Turns a `whpk_` key into a Node public key. Throws a `TypeError` if it is malformed. */
export function decodeSigningPublicKey(publicKey: string): KeyObject {
  const raw = decodeKeyBytes(publicKey, SIGNING_PUBLIC_KEY_PREFIX, "public");
  try {
    return createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
      format: "der",
      type: "spki",
    });
  } catch {
    throw new TypeError("Webhook public key is not a valid ed25519 public key");
  }
}

function decodeKeyBytes(key: string, prefix: string, kind: "secret" | "public"): Buffer {
  if (typeof key !== "string" || !key.startsWith(prefix)) {
    throw new TypeError(`An ed25519 ${kind} key must start with "${prefix}"`);
  }
  const encoded = key.slice(prefix.length);
  const bytes = Buffer.from(encoded, "base64");
  // Same round trip as decodeSecret: Node's decoder silently skips non-base64 characters.
  if (bytes.toString("base64") !== encoded || bytes.length !== KEY_BYTES) {
    throw new TypeError(
      `An ed25519 ${kind} key must be "${prefix}" and base64 of ${KEY_BYTES} bytes`,
    );
  }
  return bytes;
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const { x } = publicKey.export({ format: "jwk" });
  if (!x) throw new Error("ed25519 public key export did not include the raw key bytes");
  return Buffer.from(x, "base64url");
}
