import type { z } from "zod";
import { defOf, unwrapSchema } from "./rest-router.ts";

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** One query-string value as the input field wants it; anything doubtful stays a string. */
function convert(raw: string, field: z.ZodType | undefined): unknown {
  const type = field ? defOf(unwrapSchema(field)).type : undefined;
  if (type === "number" && NUMBER.test(raw)) return Number(raw);
  if (type === "boolean" && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

/**
 * The query string of a GET or DELETE as the procedure's input wants it: `limit=20`
 * becomes the number 20 because `limit` is a number field, while `cursor=20` stays a
 * string. Values that do not convert cleanly are left as strings for the procedure's
 * validation to refuse by name (`limit: Invalid input: expected number, received string`).
 * Repeated keys give arrays, as trpc-to-openapi expects.
 */
export function typedQuery(
  params: URLSearchParams,
  shape: Record<string, z.ZodType>,
): Record<string, unknown[]> {
  const query: Record<string, unknown[]> = {};
  for (const [key, raw] of params) {
    if (!Object.hasOwn(query, key)) query[key] = [];
    query[key]!.push(convert(raw, shape[key]));
  }
  return query;
}
