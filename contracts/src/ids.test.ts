import { describe, expect, it } from "vitest";
import { ClaimIdSchema, idSchema, newId } from "./ids.ts";

describe("ids", () => {
  it("carry their type prefix and validate", () => {
    const id = newId("claim");
    expect(id).toMatch(/^clm_/);
    expect(ClaimIdSchema.parse(id)).toBe(id);
  });

  it("sort by creation time", () => {
    const a = newId("event", 1_700_000_000_000);
    const b = newId("event", 1_700_000_000_001);
    expect(a < b).toBe(true);
  });

  it("made in the same millisecond, still sort in the order they were made", () => {
    const ids = Array.from({ length: 200 }, () => newId("claim", 1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(ClaimIdSchema.parse(id)).toBe(id);
  });

  it("reject an id of another kind with a message naming the kind", () => {
    const result = idSchema("endpoint").safeParse(newId("claim"));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("endpoint id");
  });
});
