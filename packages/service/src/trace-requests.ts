import { contextFromHeaders, inSpan, SpanKind } from "@claimwire/telemetry";
import type { Context, MiddlewareHandler } from "hono";

/**
 * A Hono middleware that runs each request in a server span, continuing the trace of the
 * caller's `traceparent` header when it sends one. The span records the method, the path
 * and the status: never a header, a query string or a body, where keys and signatures
 * travel. When tracing is off the span is the API's no-op.
 *
 * @example
 * app.use("/trpc/*", traceRequests((c) => `${c.req.method} ${c.req.path}`));
 */
export function traceRequests(spanName: (c: Context) => string): MiddlewareHandler {
  return (c, next) =>
    inSpan(
      spanName(c),
      {
        kind: SpanKind.SERVER,
        parent: contextFromHeaders((name) => c.req.header(name)),
        attributes: { "http.request.method": c.req.method, "url.path": c.req.path },
      },
      async (span) => {
        await next();
        span.setAttribute("http.response.status_code", c.res.status);
      },
    );
}
