import { z } from "zod";

/**
 * Custom HTTP headers an endpoint's webhooks carry on every attempt (e.g. a routing key
 * a clinic's gateway expects). They authenticate nothing — the signature does — and the
 * request's own headers always win: names the sender sets or that belong to the
 * connection are refused here, and the worker drops them again (isReservedHeaderName).
 */

/** At most this many custom headers per endpoint. */
export const MAX_ENDPOINT_HEADERS = 10;
/** Bounds on one header's name and value, and on every name and value together. */
export const MAX_HEADER_NAME_LENGTH = 64;
export const MAX_HEADER_VALUE_LENGTH = 1_024;
export const MAX_HEADERS_TOTAL_LENGTH = 4_096;

/** An RFC 9110 token: the only characters a header name may have. */
const HEADER_NAME_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, spaces and tabs inside; no CR/LF (no header injection), no leading/trailing space. */
const HEADER_VALUE_PATTERN = /^([\x21-\x7e]([\x20-\x7e\t]*[\x21-\x7e])?)?$/;

/**
 * Names a clinic may not set (lower case): hop-by-hop and connection-level headers, the
 * ones describing the body or the sender (set by the worker), and proxy credentials.
 * Every `webhook-*` name is reserved too (Standard Webhooks' signature headers).
 */
export const RESERVED_HEADER_NAMES: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-type",
  "content-length",
  "content-encoding",
  "expect",
  "user-agent",
]);

/** Whether the sender owns this header name, so an endpoint's custom headers may not set it. */
export function isReservedHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADER_NAMES.has(lower) || lower.startsWith("webhook-");
}

export const EndpointHeaderValueSchema = z
  .string()
  .max(MAX_HEADER_VALUE_LENGTH)
  .regex(HEADER_VALUE_PATTERN, {
    error: "must be visible ASCII (inner spaces allowed), without line breaks",
  });

/** Why `name` cannot be a custom header's name, or null when it can. */
export function headerNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > MAX_HEADER_NAME_LENGTH) {
    return `header names are 1 to ${MAX_HEADER_NAME_LENGTH} characters`;
  }
  if (!HEADER_NAME_PATTERN.test(name)) {
    return `'${name}' is not a valid header name (token characters only)`;
  }
  if (isReservedHeaderName(name)) {
    return `'${name}' is set by the sender or the connection and cannot be overridden`;
  }
  return null;
}

/**
 * `{ "X-Clinic-Route": "north" }`: names are case-insensitive, so two names that differ
 * only in case are refused. Values are returned by the API like the URL is, and never
 * written to logs; still, do not put long-lived credentials here. (Names are checked in
 * superRefine rather than by a key schema, so the message says what is wrong with one.)
 */
export const EndpointHeadersSchema = z
  .record(z.string(), EndpointHeaderValueSchema)
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    for (const name of names) {
      const problem = headerNameProblem(name);
      if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem, input: name });
    }
    if (names.length > MAX_ENDPOINT_HEADERS) {
      ctx.addIssue({
        code: "custom",
        message: `at most ${MAX_ENDPOINT_HEADERS} headers`,
        input: headers,
      });
    }
    const lower = names.map((name) => name.toLowerCase());
    if (new Set(lower).size !== lower.length) {
      ctx.addIssue({
        code: "custom",
        message: "header names must differ in more than letter case",
        input: headers,
      });
    }
    const total = Object.entries(headers).reduce((sum, [n, v]) => sum + n.length + v.length, 0);
    if (total > MAX_HEADERS_TOTAL_LENGTH) {
      ctx.addIssue({
        code: "custom",
        message: `names and values together must be at most ${MAX_HEADERS_TOTAL_LENGTH} characters`,
        input: headers,
      });
    }
  });
export type EndpointHeaders = z.infer<typeof EndpointHeadersSchema>;

/**
 * An endpoint's own cap on requests per second (`null`: none). Enforced by the delivery
 * workers per endpoint (docs/delivery.md).
 */
export const EndpointRateLimitSchema = z.number().int().min(1).max(10_000);
