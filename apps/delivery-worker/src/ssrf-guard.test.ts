import { describe, expect, it } from "vitest";
import { createSsrfGuard, SsrfBlockedError } from "./ssrf-guard.ts";

// The policy itself is tested in @claimwire/address-policy; here, the worker's use of it.
describe("createSsrfGuard and SsrfBlockedError", () => {
  it("applies the allow-list and explains a refusal in a coded error", () => {
    const guard = createSsrfGuard({ allow: ["127.0.0.0/8"] });
    expect(guard("127.0.0.1")).toBeNull();
    const refusal = guard("100.64.0.1");
    expect(refusal).toBe(
      "address 100.64.0.1 is in the carrierGradeNat range, which deliveries may not reach",
    );
    const error = new SsrfBlockedError(refusal ?? "");
    expect(error.code).toBe("ERR_SSRF_BLOCKED");
    expect(error.message).toContain(refusal);
    expect(error.message).toContain("DELIVERY_ALLOW_PRIVATE_NETWORKS");
  });

  it("refuses to start on an allow-list entry that is not a CIDR, naming it", () => {
    expect(() => createSsrfGuard({ allow: ["10.1/8"] })).toThrow("'10.1/8' is not a CIDR range");
  });
});
