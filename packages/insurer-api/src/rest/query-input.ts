import { z } from "zod";
import { unwrapSchema } from "./rest-router.ts";

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** One query-string value as the field wants it; anything doubtful stays a string. */
function convert(raw: string, field: z.ZodType | undefined): unknown {
  const inner = field ? unwrapSchema(field) : undefined;
  if (inner instanceof z.ZodNumber && NUMBER.test(raw)) return Number(raw);
  if (inner instanceof z.ZodBoolean && (raw === "true" || raw === "false")) return raw === "true";
  return raw;
}

/**
 * The query string of a GET or DELETE as the procedure's input wants it: `limit=20`
 * becomes the number 20 because `limit` is a number field, while `cursor=20` stays a
 * string. Values that do not convert cleanly are left as strings for the procedure's
 * validation to refuse by name (`limit: Invalid input: expected number, received string`).
 * An array field takes every value of its key (`types=a&types=b`); another field repeated
 * gets an array, which its validation refuses.
 */
export function typedQuery(
  params: URLSearchParams,
  shape: Record<string, z.ZodType>,
): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    const inner = field ? unwrapSchema(field) : undefined;
    if (inner instanceof z.ZodArray) {
      query[key] = params.getAll(key).map((raw) => convert(raw, inner.element as z.ZodType));
      continue;
    }
    const values = params.getAll(key).map((raw) => convert(raw, field));
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}
