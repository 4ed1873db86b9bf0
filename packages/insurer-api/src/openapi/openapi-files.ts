import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** packages/insurer-api/openapi/: the committed, generated OpenAPI document and reference page. */
export const OPENAPI_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../openapi");
export const OPENAPI_JSON_PATH = join(OPENAPI_DIR, "openapi.json");
export const REFERENCE_HTML_PATH = join(OPENAPI_DIR, "reference.html");

/** The command that rewrites both files; every drift message names it. */
export const GENERATE_COMMAND = "pnpm --filter @claimwire/insurer-api generate";

/**
 * The OpenAPI document a Redoc page (`redocly build-docs`) was built from: Redoc embeds
 * it as `const __redoc_definition = {…};`. Undefined when the page has none.
 */
export function embeddedDefinition(html: string): unknown {
  const match = /const __redoc_definition = (\{.*\});\n/.exec(html);
  return match ? JSON.parse(match[1]!) : undefined;
}
