import { describe, expect, it } from "vitest";
import { classifyError, classifyResponse } from "./classify-outcome.ts";
import { SsrfBlockedError } from "./ssrf-guard.ts";

const nowMs = Date.parse("2026-11-28T10:00:00Z");
const answer = (statusCode: number, headers: Record<string, string> = {}, body = "") =>
  classifyResponse({ statusCode, headers, body, nowMs });

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
const noTimeout = { timedOut: false, timeoutMs: 15_000 };

describe("classifyResponse", () => {
  it("counts every 2xx as delivered and keeps its body and headers", () => {
    expect(answer(200, { "content-type": "text/plain" }, "ok")).toEqual({
      outcome: "delivered",
      statusCode: 200,
      errorClass: null,
      error: null,
      retryAfterMs: null,
      responseHeaders: { "content-type": "text/plain" },
      responseBody: "ok",
    });
    expect(answer(299).outcome).toBe("delivered");
  });

  it("counts a redirect and an error status as http_status failures", () => {
    expect(answer(302, { location: "https://elsewhere.example/" })).toMatchObject({
      outcome: "failed",
      statusCode: 302,
      errorClass: "http_status",
      error: "HTTP 302 (redirects are not followed)",
      responseHeaders: { location: "https://elsewhere.example/" },
    });
    expect(answer(500, {}, "boom")).toMatchObject({
      errorClass: "http_status",
      error: "HTTP 500",
      responseBody: "boom",
    });
  });

  it("reads Retry-After on 429 and 503 only", () => {
    expect(answer(429, { "retry-after": "7" }).retryAfterMs).toBe(7_000);
    expect(answer(503, { "retry-after": "Sat, 28 Nov 2026 10:00:30 GMT" }).retryAfterMs).toBe(
      30_000,
    );
    expect(answer(500, { "retry-after": "7" }).retryAfterMs).toBeNull();
    expect(answer(429).retryAfterMs).toBeNull();
  });
});

describe("classifyError", () => {
  it.each([
    [nodeError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.9:443"), "connection_refused"],
    [nodeError("ENOTFOUND", "getaddrinfo ENOTFOUND nowhere.invalid"), "dns"],
    [nodeError("EAI_AGAIN", "getaddrinfo EAI_AGAIN flaky.example"), "dns"],
    [nodeError("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error"), "timeout"],
    [nodeError("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error"), "timeout"],
    [nodeError("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match"), "tls"],
    [nodeError("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"), "tls"],
    [nodeError("EPROTO", "wrong version number"), "tls"],
    [nodeError("ECONNRESET", "read ECONNRESET"), "network"],
    [nodeError("UND_ERR_SOCKET", "other side closed"), "network"],
    [new Error("something odd"), "network"],
  ])("classifies %s as %s", (err, errorClass) => {
    const result = classifyError(err, noTimeout);
    expect(result).toMatchObject({ outcome: "failed", statusCode: null, errorClass });
    expect(result.responseBody).toBeNull();
  });

  it("reports our own deadline as a timeout naming it", () => {
    expect(classifyError(new Error("aborted"), { timedOut: true, timeoutMs: 200 })).toMatchObject({
      errorClass: "timeout",
      error: "No complete answer within 200 ms",
    });
  });

  it("finds the code of a wrapped or aggregated error and names it", () => {
    const wrapped = new TypeError("fetch failed", { cause: nodeError("ECONNRESET", "reset") });
    expect(classifyError(wrapped, noTimeout).error).toBe("ECONNRESET: reset");
    const aggregate = new AggregateError([nodeError("ECONNREFUSED", "refused")], "all failed");
    expect(classifyError(aggregate, noTimeout).errorClass).toBe("connection_refused");
  });

  it("classifies a blocked address as ssrf_blocked with the guard's explanation", () => {
    const err = new SsrfBlockedError(
      "address 127.0.0.1 is in the loopback range, which deliveries may not reach",
    );
    const result = classifyError(err, noTimeout);
    expect(result.errorClass).toBe("ssrf_blocked");
    expect(result.error).toContain("address 127.0.0.1 is in the loopback range");
  });
});
