import { describe, expect, it } from "vitest";
import { z } from "zod";
import { typedQuery } from "./query-input.ts";

const shape = {
  limit: z.number().int().min(1).default(20),
  cursor: z.string().optional(),
  types: z.array(z.enum(["a", "b"])).optional(),
  counts: z.array(z.number()).optional(),
  verbose: z.boolean().optional(),
};

describe("typedQuery", () => {
  it("types values by their field, and leaves strings alone", () => {
    const query = typedQuery(new URLSearchParams("limit=20&cursor=20&verbose=true"), shape);
    expect(query).toEqual({ limit: 20, cursor: "20", verbose: true });
  });

  it("gives array fields every value, typed by the element", () => {
    expect(typedQuery(new URLSearchParams("types=a&types=b&counts=1"), shape)).toEqual({
      types: ["a", "b"],
      counts: [1],
    });
  });

  it("leaves doubtful values as strings for validation to refuse by name", () => {
    expect(typedQuery(new URLSearchParams("limit=many&verbose=yes&other=1"), shape)).toEqual({
      limit: "many",
      verbose: "yes",
      other: "1",
    });
    expect(typedQuery(new URLSearchParams("limit=1&limit=2"), shape)).toEqual({ limit: [1, 2] });
  });
});
