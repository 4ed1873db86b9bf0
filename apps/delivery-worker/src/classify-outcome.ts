import type { AttemptReport } from "@claimwire/queue";

/** What one HTTP attempt came to, in the terms of an AttemptReport. */
export type DeliveryResult = Pick<AttemptReport, "outcome" | "statusCode" | "error">;

/** AttemptReportSchema caps `error` at 2000 characters. */
const MAX_ERROR_CHARS = 2000;

/** Only a 2xx counts as delivered; a 3xx is never followed, so it is a failure too. */
export function classifyResponse(statusCode: number, body = ""): DeliveryResult {
  if (statusCode >= 200 && statusCode < 300)
    return { outcome: "delivered", statusCode, error: null };
  const excerpt = body.trim();
  const error = excerpt ? `http_${statusCode}: ${excerpt}` : `http_${statusCode}`;
  return { outcome: "failed", statusCode, error: error.slice(0, MAX_ERROR_CHARS) };
}

/** A failure that is not an HTTP answer, e.g. an endpoint that was deleted. */
export function failure(error: string): DeliveryResult {
  return { outcome: "failed", statusCode: null, error };
}

/** Node and undici error codes → a short class the insurer can group on. */
const ERROR_CLASSES: Record<string, string> = {
  ECONNREFUSED: "connection_refused",
  ECONNRESET: "connection_reset",
  EPIPE: "connection_reset",
  UND_ERR_SOCKET: "connection_reset",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_NONAME: "dns",
  EAI_FAIL: "dns",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  UND_ERR_CONNECT_TIMEOUT: "timeout",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  ETIMEDOUT: "timeout",
  ERR_INVALID_URL: "invalid_url",
  UND_ERR_INVALID_ARG: "invalid_url",
};

/**
 * Turns a thrown error into `class: CODE` (`connection_refused: ECONNREFUSED`,
 * `dns: ENOTFOUND`), or `timeout` when our own deadline fired. Only the code or the
 * error's message is kept: never request headers, so never a signature or secret.
 */
export function classifyError(err: unknown, { timedOut }: { timedOut: boolean }): DeliveryResult {
  const code = errorCode(err);
  const errorClass = timedOut ? "timeout" : ((code && ERROR_CLASSES[code]) ?? "network");
  if (errorClass === "timeout") return failure("timeout");
  const detail = code ?? (err instanceof Error ? err.message : String(err));
  return failure(`${errorClass}: ${detail}`.slice(0, 200));
}

function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  if ("code" in err && typeof err.code === "string") return err.code;
  // Happy-eyeballs connects fail with an AggregateError; a wrapped error keeps it in `cause`.
  if (err instanceof AggregateError) return errorCode(err.errors[0]);
  if ("cause" in err) return errorCode(err.cause);
  return undefined;
}
