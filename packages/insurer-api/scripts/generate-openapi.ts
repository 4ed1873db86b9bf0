/**
 * Writes the insurer's generated OpenAPI artefacts (commit both):
 *   openapi/openapi.json    the OpenAPI 3.1 document (src/openapi/openapi-document.ts)
 *   openapi/reference.html  the API reference page served at /docs, built from it by
 *                           `redocly build-docs --inlineBundle` (works offline)
 * Run `pnpm --filter @claimwire/insurer-api generate` (or `turbo run generate`).
 * test/openapi-document.test.ts fails when either is out of date.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { renderOpenApiDocument } from "../src/openapi/openapi-document.ts";
import {
  embeddedDefinition,
  OPENAPI_DIR,
  OPENAPI_JSON_PATH,
  REFERENCE_HTML_PATH,
} from "../src/openapi/openapi-files.ts";

const text = renderOpenApiDocument();
mkdirSync(OPENAPI_DIR, { recursive: true });
const previous = existsSync(OPENAPI_JSON_PATH) ? readFileSync(OPENAPI_JSON_PATH, "utf8") : "";
if (previous !== text) writeFileSync(OPENAPI_JSON_PATH, text);
const where = (path: string) => relative(process.cwd(), path);
console.log(`${where(OPENAPI_JSON_PATH)}: ${previous === text ? "up to date" : "written"}`);

const html = existsSync(REFERENCE_HTML_PATH) ? readFileSync(REFERENCE_HTML_PATH, "utf8") : "";
const current = JSON.stringify(embeddedDefinition(html)) === JSON.stringify(JSON.parse(text));
if (current) {
  console.log(`${where(REFERENCE_HTML_PATH)}: up to date`);
} else {
  // The repository root's @redocly/cli (pnpm puts its bin on PATH; plain tsx may not).
  const local = join(OPENAPI_DIR, "../../../node_modules/.bin/redocly");
  execFileSync(
    existsSync(local) ? local : "redocly",
    [
      "build-docs",
      OPENAPI_JSON_PATH,
      "--inlineBundle",
      "--title",
      "claimwire insurer API reference",
      "--output",
      REFERENCE_HTML_PATH,
    ],
    // Quiet unless it fails (it prints banners about Node 20 and Redoc 3 on stderr).
    {
      stdio: "pipe",
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    },
  );
  console.log(`${where(REFERENCE_HTML_PATH)}: written`);
}
