/**
 * Writes src/rest/openapi-types.ts from the insurer's OpenAPI document (commit it).
 * Run `pnpm --filter @claimwire/sdk generate` (or `turbo run generate`, which regenerates
 * the document first). test/rest-types.test.ts fails when the file is out of date.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { REST_TYPES_PATH, renderRestTypes } from "./rest-types.ts";

const text = await renderRestTypes();
const previous = existsSync(REST_TYPES_PATH) ? readFileSync(REST_TYPES_PATH, "utf8") : "";
if (previous !== text) writeFileSync(REST_TYPES_PATH, text);
console.log(
  `${relative(process.cwd(), REST_TYPES_PATH)}: ${previous === text ? "up to date" : "written"}`,
);
