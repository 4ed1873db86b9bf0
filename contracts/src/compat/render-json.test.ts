import { describe, expect, it } from "vitest";
import { renderJson } from "./render-json.ts";

describe("renderJson (Biome's JSON layout)", () => {
  it("expands objects and keeps short arrays of primitives on one line", () => {
    expect(renderJson({ required: ["a", "b"], properties: { a: {} }, items: [] })).toBe(
      '{\n  "required": ["a", "b"],\n  "properties": {\n    "a": {}\n  },\n  "items": []\n}\n',
    );
  });

  it("breaks an array of primitives whose line, trailing comma included, passes 100 columns", () => {
    // `  "k": [` is 8 columns, `]` and `,` two more: 90 columns of items fit exactly.
    const fits = ["x".repeat(88)];
    expect(renderJson({ k: fits, z: 1 }).split("\n")[1]).toHaveLength(100);
    const tooLong = ["x".repeat(89)];
    expect(renderJson({ k: tooLong, z: 1 })).toContain(`"k": [\n    "${"x".repeat(89)}"\n  ],`);
    // Without a trailing comma the same item fits.
    expect(renderJson({ k: tooLong }).split("\n")[1]).toHaveLength(100);
  });

  it("always breaks arrays of objects, one per line", () => {
    expect(renderJson({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe(
      '{\n  "anyOf": [\n    {\n      "type": "string"\n    },\n    {\n      "type": "null"\n    }\n  ]\n}\n',
    );
  });
});
