import { describe, expect, it } from "vitest";
import { inboxStateLabel } from "./inbox-state.ts";

describe("inboxStateLabel", () => {
  it("says an ignored message is of a type the clinic does not know, not an error", () => {
    expect(inboxStateLabel("ignored")).toBe("Ignored (event type not known here)");
    expect(inboxStateLabel("quarantined")).toBe("Quarantined");
  });
});
