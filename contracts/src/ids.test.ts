import { describe, expect, it } from "vitest";
import { ClaimIdSchema, idSchema } from "./ids.ts";

const CLAIM_ID = "clm_01HF5Z3Q9X4N8V6M2K7T5R1B0C";

describe("id schemas", () => {
  it("accept an id of their kind", () => {
    expect(ClaimIdSchema.parse(CLAIM_ID)).toBe(CLAIM_ID);
  });

  it("reject an id of another kind with a message naming the kind", () => {
    const result = idSchema("endpoint").safeParse(CLAIM_ID);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("endpoint id");
  });

  it("reject a body that is not 26 Crockford base32 characters", () => {
    expect(ClaimIdSchema.safeParse("clm_01HF5Z3Q9X4N8V6M2K7T5R1B0").success).toBe(false);
    expect(ClaimIdSchema.safeParse("clm_01HF5Z3Q9X4N8V6M2K7T5R1B0U").success).toBe(false);
  });
});
