import { describe, expect, it } from "vitest";
import { decodeSecret, generateSecret } from "./secret.ts";

describe("generateSecret", () => {
  it("returns whsec_ and base64 of 32 random bytes", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeSecret(secret)).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
  });
});

describe("decodeSecret", () => {
  it("accepts a secret with or without the whsec_ prefix", () => {
    const withPrefix = decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    expect(withPrefix).toHaveLength(24);
    expect(decodeSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).toEqual(withPrefix);
  });

  it("rejects text that is not base64", () => {
    expect(() => decodeSecret("whsec_not base64!!")).toThrow(/not valid base64/);
    expect(() => decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw-")).toThrow(TypeError);
  });

  it("rejects keys shorter than 24 or longer than 64 bytes", () => {
    const b64 = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString("base64")}`;
    expect(() => decodeSecret("")).toThrow(/24 to 64 bytes, got 0/);
    expect(() => decodeSecret(b64(23))).toThrow(/got 23/);
    expect(() => decodeSecret(b64(65))).toThrow(/got 65/);
    expect(decodeSecret(b64(24))).toHaveLength(24);
    expect(decodeSecret(b64(64))).toHaveLength(64);
  });

  it("for verifying, takes a key of any length but none", () => {
    const b64 = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString("base64")}`;
    for (const bytes of [1, 16, 23, 65, 128]) {
      expect(decodeSecret(b64(bytes), { forVerifying: true })).toHaveLength(bytes);
    }
    expect(() => decodeSecret("whsec_", { forVerifying: true })).toThrow(/empty/);
    expect(() => decodeSecret("whsec_not base64!!", { forVerifying: true })).toThrow(/base64/);
  });
});
