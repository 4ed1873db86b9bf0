import type { Context, MiddlewareHandler } from "hono";

/** Beyond this much, a refused body is no longer read to its end: the connection is closed. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Refuses a request body over `maxBytes` with `tooLarge`, before anything parses it, and
 * reads the rest of it to its end so that the client gets the answer and may reuse the
 * connection (hono's `bodyLimit` stops reading mid-body: the client then fails writing,
 * or its next request on that kept-alive connection does). A body beyond 64 MB is not
 * read further; that connection is closed.
 *
 * @example
 * ```ts
 * app.post("/upload", limitBody({ maxBytes: 1_000_000, tooLarge: (c) => c.text("too large", 413) }), handler);
 * ```
 */
export function limitBody({
  maxBytes,
  tooLarge,
}: {
  maxBytes: number;
  tooLarge: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > DRAIN_LIMIT_BYTES) {
        await reader.cancel();
        c.header("connection", "close");
        return tooLarge(c);
      }
      if (size <= maxBytes) chunks.push(value);
    }
    if (size > maxBytes) return tooLarge(c);
    const whole = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      whole.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(c.req.raw, { body: whole });
    await next();
  };
}
