import type { IncomingMessage, ServerResponse } from "node:http";
import {
  createOpenApiNodeHttpHandler,
  getPathRegExp,
  type NodeHTTPRequest,
  normalizePath,
} from "trpc-to-openapi";
import type { z } from "zod";
import type { Services } from "../domain/services.ts";
import { appRouter } from "../routers/root.ts";
import { createHttpContext } from "../routers/trpc.ts";
import { typedQuery } from "./query-input.ts";
import { objectShape, restRouterView, restRoutes } from "./rest-router.ts";

/** Where the REST routes live; the OpenAPI document's server URL. */
export const REST_BASE_PATH = "/api/v1";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * The REST face of the tRPC API (trpc-to-openapi's node HTTP handler): every procedure
 * with `meta.openapi` at `REST_BASE_PATH` + its path. Same Bearer keys, same
 * procedures and middlewares, same errors (the tRPC code's HTTP status, and
 * `{ message, code, data }` as the body). Around the library it:
 * - strips the base path (meta paths are relative to it, like the document's server URL);
 * - types query-string values by the input's fields (query-input.ts);
 * - reads a body without a content type, or with a charset, as JSON (the library wants
 *   exactly `application/json`, and would refuse a bodiless POST with 415).
 */
export function createRestHandler(services: Services) {
  const signals = new WeakMap<object, AbortSignal>();
  const router = restRouterView(appRouter, (ctx) => signals.get(ctx as object));
  const queryRoutes = restRoutes(appRouter)
    .filter(({ meta }) => !BODY_METHODS.has(meta.method))
    .map(({ meta, input }) => ({
      method: meta.method as string,
      pattern: getPathRegExp(normalizePath(meta.path)),
      shape: objectShape(input) ?? ({} as Record<string, z.ZodType>),
    }));

  const handle = createOpenApiNodeHttpHandler({
    router,
    // 50 service lines fit in a few KB; refuse anything near a megabyte before parsing.
    maxBodySize: 1_000_000,
    createContext: ({ req, res, info }) => {
      const ctx = createHttpContext(services, { req, res });
      if (info?.signal) signals.set(ctx, info.signal);
      return ctx;
    },
    onError: ({ error, path }) => {
      // Expected refusals (4xx) are the caller's business; only our failures are logged.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        services.log.error({ err: error.cause ?? error, path }, "REST procedure failed");
      }
    },
  });

  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://insurer.invalid");
    const path = url.pathname.slice(REST_BASE_PATH.length) || "/";
    req.url = `${path}${url.search}`;
    const method = req.method ?? "GET";
    if (BODY_METHODS.has(method)) {
      const type = req.headers["content-type"];
      if (!type || type.split(";")[0]!.trim().toLowerCase() === "application/json") {
        req.headers["content-type"] = "application/json";
      }
    } else {
      const route = queryRoutes.find(
        (r) => r.method === method && r.pattern.test(normalizePath(path)),
      );
      if (route) (req as NodeHTTPRequest).query = typedQuery(url.searchParams, route.shape);
    }
    handle(req, res).catch((err: unknown) => {
      services.log.error({ err }, "REST handler failed");
      if (res.headersSent) {
        res.end();
        return;
      }
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: "Internal server error", code: "INTERNAL_SERVER_ERROR" }));
    });
  };
}
