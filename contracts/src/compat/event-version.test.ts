import { describe, expect, it } from "vitest";
import { eventTypeName, nextEventTypeVersion, parseEventType } from "./event-version.ts";

describe("event type versions", () => {
  it.each([
    ["claim.approved", "claim.approved", 1, "claim.approved.v2"],
    ["claim.approved.v2", "claim.approved", 2, "claim.approved.v3"],
    ["endpoint.disabled.v12", "endpoint.disabled", 12, "endpoint.disabled.v13"],
    ["claim.v2x", "claim.v2x", 1, "claim.v2x.v2"],
  ])("%s is version %i of %s", (type, family, version, next) => {
    expect(parseEventType(type)).toEqual({ family, version });
    expect(nextEventTypeVersion(type)).toBe(next);
    expect(eventTypeName(family, version)).toBe(type);
  });

  it("refuses an explicit .v1: version 1 is the unsuffixed name", () => {
    expect(() => parseEventType("claim.approved.v1")).toThrow("write 'claim.approved'");
  });
});
