import { describe, expect, it } from "vitest";
import { activeSigningKeys } from "./signing-keys.ts";

describe("activeSigningKeys", () => {
  it("signs with the current keys and the retiring keys that have not expired", () => {
    const now = Date.parse("2026-11-28T10:00:00Z");
    const config = {
      secrets: ["whsec_current", "whsk_ed25519"],
      retiringSecrets: [
        { secret: "whsec_expired", expiresAt: "2026-11-28T09:59:59.999Z" },
        { secret: "whsec_at_now", expiresAt: "2026-11-28T10:00:00.000Z" },
        { secret: "whsec_retiring", expiresAt: "2026-11-29T10:00:00Z" },
      ],
    };
    expect(activeSigningKeys(config, now)).toEqual([
      "whsec_current",
      "whsk_ed25519",
      "whsec_retiring",
    ]);
  });
});
