import { ClaimIdSchema, EndpointIdSchema, idSchema } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { newId } from "./new-id.ts";

describe("newId", () => {
  it("carries the kind's prefix and passes the contracts' schema for that kind", () => {
    const id = newId("claim");
    expect(id).toMatch(/^clm_/);
    expect(ClaimIdSchema.parse(id)).toBe(id);
    expect(EndpointIdSchema.safeParse(id).success).toBe(false);
  });

  it("sorts by creation time", () => {
    const a = newId("event", 1_700_000_000_000);
    const b = newId("event", 1_700_000_000_001);
    expect(a < b).toBe(true);
  });

  it("made in the same millisecond, still sorts in the order it was made", () => {
    const ids = Array.from({ length: 200 }, () => newId("claim", 1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(ClaimIdSchema.parse(id)).toBe(id);
  });

  it("gives every kind an id its schema accepts", () => {
    for (const kind of ["claim", "clinic", "endpoint", "event", "delivery", "attempt"] as const) {
      expect(idSchema(kind).safeParse(newId(kind)).success).toBe(true);
    }
  });
});
