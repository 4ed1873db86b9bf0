import { describe, expect, it } from "vitest";
import {
  decodeSigningPublicKey,
  decodeSigningSecretKey,
  derivePublicKey,
  generateSigningKeyPair,
} from "./signing-key-pair.ts";

describe("generateSigningKeyPair", () => {
  it("returns whsk_ and whpk_ keys, each base64 of 32 bytes, fresh each time", () => {
    const pair = generateSigningKeyPair();
    expect(pair.secretKey).toMatch(/^whsk_[A-Za-z0-9+/]{43}=$/);
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(generateSigningKeyPair().secretKey).not.toBe(pair.secretKey);
  });

  it("pairs the public key with the secret key", () => {
    const pair = generateSigningKeyPair();
    expect(derivePublicKey(pair.secretKey)).toBe(pair.publicKey);
  });
});

describe("decoding ed25519 keys", () => {
  it("accepts the keys it generated", () => {
    const pair = generateSigningKeyPair();
    expect(decodeSigningSecretKey(pair.secretKey).asymmetricKeyType).toBe("ed25519");
    expect(decodeSigningPublicKey(pair.publicKey).asymmetricKeyType).toBe("ed25519");
  });

  it("rejects a wrong prefix, bad base64 and a wrong length with a TypeError", () => {
    const { secretKey, publicKey } = generateSigningKeyPair();
    expect(() => decodeSigningSecretKey(publicKey)).toThrow(/whsk_/);
    expect(() => decodeSigningPublicKey(secretKey)).toThrow(/whpk_/);
    expect(() => decodeSigningSecretKey(`${secretKey}!`)).toThrow(TypeError);
    expect(() => decodeSigningPublicKey(`whpk_${Buffer.alloc(31).toString("base64")}`)).toThrow(
      /32 bytes/,
    );
  });
});
