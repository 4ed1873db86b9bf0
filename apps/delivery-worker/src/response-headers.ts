/**
 * The response headers kept in an attempt report: enough to explain an answer to a clinic
 * (what it returned, how big, when to retry, where it tried to redirect, which server and
 * request id to look up in its own logs), and nothing that would turn the insurer's store
 * into a copy of every receiver's cookies and tokens (no set-cookie, no auth headers).
 */
export const KEPT_RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "retry-after",
  "location",
  "date",
  "server",
  "x-request-id",
] as const;

/** A header value longer than this is cut: these headers are short unless misused. */
const MAX_VALUE_CHARS = 512;

/**
 * Picks KEPT_RESPONSE_HEADERS from undici's response headers (lower-case names; repeated
 * headers joined with ", " as RFC 9110 §5.3 allows).
 *
 * @example
 * keptResponseHeaders({ "content-type": "text/plain", "set-cookie": ["a=1"] });
 * // { "content-type": "text/plain" }
 */
export function keptResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || !(KEPT_RESPONSE_HEADERS as readonly string[]).includes(lower)) {
      continue;
    }
    kept[lower] = (Array.isArray(value) ? value.join(", ") : value).slice(0, MAX_VALUE_CHARS);
  }
  return kept;
}
