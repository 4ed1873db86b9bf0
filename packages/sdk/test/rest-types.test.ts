// src/rest/openapi-types.ts is generated from the insurer's committed OpenAPI document and
// committed; this is its CI check (as packages/insurer-api/test/openapi-document.test.ts
// is the document's): regenerate in memory, compare with the file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATE_COMMAND, REST_TYPES_PATH, renderRestTypes } from "../scripts/rest-types.ts";

const STALE = `packages/sdk/src/rest/openapi-types.ts is out of date: run \`${GENERATE_COMMAND}\` and commit the result`;

describe("src/rest/openapi-types.ts", () => {
  it("is what openapi-typescript generates from the committed OpenAPI document today", async () => {
    const committed = readFileSync(REST_TYPES_PATH, "utf8");
    expect(committed === (await renderRestTypes()), STALE).toBe(true);
  });

  it("says it is generated, and how to regenerate it", () => {
    const header = readFileSync(REST_TYPES_PATH, "utf8").split("\n", 3).join("\n");
    expect(header).toMatch(/^\/\/ @generated /);
    expect(header).toContain(GENERATE_COMMAND);
  });
});
