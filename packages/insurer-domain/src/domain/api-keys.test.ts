import { describe, expect, it } from "vitest";
import { bearerToken, generateApiKey, hashApiKey } from "./api-keys.ts";

describe("API keys", () => {
  it("generates cw_ + base64url of 32 random bytes, different every time", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^cw_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice(3), "base64url")).toHaveLength(32);
    expect(generateApiKey()).not.toBe(key);
  });

  it("hashes with sha256 (hex), so the stored value never equals the key", () => {
    expect(hashApiKey("cw_example")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey("cw_example")).toBe(hashApiKey("cw_example"));
  });

  it("reads only `Bearer <key>` from the Authorization header", () => {
    expect(bearerToken("Bearer cw_abc")).toBe("cw_abc");
    expect(bearerToken("bearer  cw_abc ")).toBe("cw_abc");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeUndefined();
    expect(bearerToken("Bearer a b")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
