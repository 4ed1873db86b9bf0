import { describe, expect, it } from "vitest";
import { classifyError, classifyResponse } from "./classify-outcome.ts";

function nodeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("classifyResponse", () => {
  it("counts every 2xx as delivered", () => {
    expect(classifyResponse(200)).toEqual({ outcome: "delivered", statusCode: 200, error: null });
    expect(classifyResponse(204).outcome).toBe("delivered");
    expect(classifyResponse(299).outcome).toBe("delivered");
  });

  it("counts redirects and errors as failed, with the status in the error", () => {
    expect(classifyResponse(500)).toEqual({
      outcome: "failed",
      statusCode: 500,
      error: "http_500",
    });
    expect(classifyResponse(302)).toEqual({
      outcome: "failed",
      statusCode: 302,
      error: "http_302",
    });
    expect(classifyResponse(404, " no such hook \n").error).toBe("http_404: no such hook");
  });

  it("keeps the error text within the report's 2000 characters", () => {
    const error = classifyResponse(500, "x".repeat(5000)).error ?? "";
    expect(error.startsWith("http_500: xxx")).toBe(true);
    expect(error.length).toBe(2000);
  });
});

describe("classifyError", () => {
  it("names connection and DNS failures by class and code", () => {
    const refused = nodeError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9");
    expect(classifyError(refused, { timedOut: false })).toEqual({
      outcome: "failed",
      statusCode: null,
      error: "connection_refused: ECONNREFUSED",
    });
    const dns = nodeError("ENOTFOUND", "getaddrinfo ENOTFOUND nowhere.invalid");
    expect(classifyError(dns, { timedOut: false }).error).toBe("dns: ENOTFOUND");
    const reset = nodeError("UND_ERR_SOCKET", "other side closed");
    expect(classifyError(reset, { timedOut: false }).error).toBe(
      "connection_reset: UND_ERR_SOCKET",
    );
  });

  it("reports our own deadline and undici's timeouts as timeout", () => {
    expect(classifyError(new Error("This operation was aborted"), { timedOut: true }).error).toBe(
      "timeout",
    );
    const headers = nodeError("UND_ERR_HEADERS_TIMEOUT", "Headers Timeout Error");
    expect(classifyError(headers, { timedOut: false }).error).toBe("timeout");
  });

  it("finds the code of a wrapped or aggregated error", () => {
    const wrapped = new TypeError("fetch failed", { cause: nodeError("ECONNRESET", "reset") });
    expect(classifyError(wrapped, { timedOut: false }).error).toBe("connection_reset: ECONNRESET");
    const aggregate = new AggregateError([nodeError("ECONNREFUSED", "refused")], "all failed");
    expect(classifyError(aggregate, { timedOut: false }).error).toBe(
      "connection_refused: ECONNREFUSED",
    );
  });

  it("falls back to the message of an unknown error", () => {
    expect(classifyError(new Error("something odd"), { timedOut: false }).error).toBe(
      "network: something odd",
    );
  });
});
