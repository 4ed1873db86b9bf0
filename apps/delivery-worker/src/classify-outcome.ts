import type { AttemptErrorClass, AttemptReport } from "@claimwire/queue";
import { keptResponseHeaders } from "./response-headers.ts";
import { parseRetryAfter } from "./retry-after.ts";

/** What one attempt came to, in the terms of an AttemptReport. */
export type DeliveryResult = Pick<
  AttemptReport,
  | "outcome"
  | "statusCode"
  | "errorClass"
  | "error"
  | "retryAfterMs"
  | "responseHeaders"
  | "responseBody"
>;

/** AttemptReportSchema caps `error` at 2000 characters; ours are one short line. */
const MAX_ERROR_CHARS = 500;

/** Statuses whose Retry-After the insurer honours. */
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export type HttpAnswer = {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as read by readResponseBody (≤ 20 KB). */
  body: string;
  /** Wall-clock milliseconds when the answer arrived, for an HTTP-date Retry-After. */
  nowMs: number;
};

/**
 * Only a 2xx counts as delivered; a 3xx is never followed, so it is a failure like any
 * other status. Retry-After is read on 429 and 503 only.
 *
 * @example
 * classifyResponse({ statusCode: 503, headers: { "retry-after": "30" }, body: "", nowMs });
 * // { outcome: "failed", errorClass: "http_status", retryAfterMs: 30000, … }
 */
export function classifyResponse({ statusCode, headers, body, nowMs }: HttpAnswer): DeliveryResult {
  const answered = {
    statusCode,
    responseHeaders: keptResponseHeaders(headers),
    responseBody: body,
  };
  if (statusCode >= 200 && statusCode < 300) {
    return { outcome: "delivered", errorClass: null, error: null, retryAfterMs: null, ...answered };
  }
  const retryAfter = headers["retry-after"];
  return {
    outcome: "failed",
    errorClass: "http_status",
    error:
      statusCode >= 300 && statusCode < 400
        ? `HTTP ${statusCode} (redirects are not followed)`
        : `HTTP ${statusCode}`,
    retryAfterMs: RETRY_AFTER_STATUSES.has(statusCode)
      ? parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, nowMs)
      : null,
    ...answered,
  };
}

/** A failure without an HTTP answer (nothing was received, or nothing was sent). */
export function failure(errorClass: AttemptErrorClass, error: string): DeliveryResult {
  return {
    outcome: "failed",
    statusCode: null,
    errorClass,
    error: error.slice(0, MAX_ERROR_CHARS),
    retryAfterMs: null,
    responseHeaders: {},
    responseBody: null,
  };
}

/** Node, undici and our own error codes → the report's closed set of error classes. */
const CLASS_OF_CODE: Record<string, AttemptErrorClass> = {
  ERR_SSRF_BLOCKED: "ssrf_blocked",
  ECONNREFUSED: "connection_refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_NONAME: "dns",
  EAI_FAIL: "dns",
  EAI_NODATA: "dns",
  ETIMEDOUT: "timeout",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  // A TLS alert or a plain-HTTP server on the https port surfaces as EPROTO.
  EPROTO: "tls",
};
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/;

/**
 * Classifies a thrown error. `timedOut` says our own deadline fired (the abort error it
 * causes carries no useful code). The message keeps the error's code and message only:
 * never request headers, so never a signature or a secret.
 *
 * @example
 * classifyError(err, { timedOut: false, timeoutMs: 15_000 });
 * // { errorClass: "connection_refused", error: "ECONNREFUSED: connect ECONNREFUSED 10.0.0.9:443", … }
 */
export function classifyError(
  err: unknown,
  { timedOut, timeoutMs }: { timedOut: boolean; timeoutMs: number },
): DeliveryResult {
  if (timedOut) return failure("timeout", `No complete answer within ${timeoutMs} ms`);
  const coded = findCodedError(err);
  const code = coded?.code;
  const errorClass =
    (code && (CLASS_OF_CODE[code] ?? (TLS_CODE.test(code) ? "tls" : undefined))) || "network";
  const source = coded ?? err;
  const message = source instanceof Error ? source.message : String(source);
  const error = code && !message.includes(code) ? `${code}: ${message}` : message;
  return failure(errorClass, error || errorClass);
}

type CodedError = Error & { code: string };

/** The error that carries a code: undici wraps some errors, happy eyeballs aggregates others. */
function findCodedError(err: unknown): CodedError | undefined {
  if (!(err instanceof Error)) return undefined;
  const own = "code" in err && typeof err.code === "string" ? (err as CodedError) : undefined;
  // A wrapper's code (undici's UND_ERR_SOCKET) says less than the socket error inside it.
  if (own && !(own.code === "UND_ERR_SOCKET" && err.cause)) return own;
  const inner = err instanceof AggregateError ? err.errors[0] : err.cause;
  return findCodedError(inner) ?? own;
}
