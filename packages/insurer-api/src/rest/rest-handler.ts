import type { Services } from "@claimwire/insurer-domain";
import { limitBody } from "@claimwire/service";
import { getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { Hono, type Context as HonoContext } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { getPathRegExp, normalizePath } from "trpc-to-openapi";
import { appRouter } from "../routers/root.ts";
import { createHttpContext } from "../routers/trpc.ts";
import { typedQuery } from "./query-input.ts";
import type { RestError } from "./rest-error.ts";
import { objectShape, type RestRoute, restRoutes } from "./rest-router.ts";

/** Where the REST routes live; the OpenAPI document's server URL. */
export const REST_BASE_PATH = "/api/v1";

/** 50 service lines fit in a few KB; refuse anything near a megabyte before parsing. */
const MAX_BODY_BYTES = 1_000_000;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

type Route = RestRoute & { pattern: RegExp };

/**
 * The REST face of the tRPC API: every procedure with `meta.openapi` at `REST_BASE_PATH`
 * + its path (the routes openapi/openapi.json documents). Each request is one call of the
 * router's `createCaller` with the request's abort signal (a long poll ends when the
 * client leaves), so REST and tRPC share every middleware: authentication, roles, rate
 * limits, idempotency, error mapping. The input is the JSON body (POST, PUT, PATCH; a
 * body without a content type, or with a charset, is read as JSON) or the query string
 * typed by the input's fields (query-input.ts), with the path's parameters over both.
 * Errors: the tRPC code's HTTP status, and `{ message, code, data }` (rest-error.ts).
 */
export function createRestRoutes(services: Services): Hono {
  let routes: Route[] | undefined;
  const routesOf = () =>
    (routes ??= restRoutes(appRouter).map((route) => ({
      ...route,
      pattern: getPathRegExp(normalizePath(route.meta.path)),
    })));

  function fail(c: HonoContext, cause: unknown, procedure?: string, headers?: Headers) {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === "INTERNAL_SERVER_ERROR") {
      services.log.error({ err: error.cause ?? error, path: procedure }, "REST procedure failed");
    }
    const httpStatus = getHTTPStatusCodeFromError(error) as ContentfulStatusCode;
    const body: RestError = {
      // Callers are integrators: an unexpected failure says nothing more (it is logged).
      message: error.code === "INTERNAL_SERVER_ERROR" ? "Internal server error" : error.message,
      code: error.code,
      data: { code: error.code, httpStatus, ...(procedure ? { path: procedure } : {}) },
    };
    headers?.forEach((value, name) => {
      c.header(name, value);
    });
    return c.json(body, httpStatus);
  }

  async function readInput(c: HonoContext, route: Route, url: URL): Promise<unknown> {
    if (!BODY_METHODS.has(c.req.method)) {
      return typedQuery(url.searchParams, objectShape(route.input) ?? {});
    }
    const type = c.req.header("content-type");
    if (type && type.split(";")[0]!.trim().toLowerCase() !== "application/json") {
      throw new TRPCError({
        code: "UNSUPPORTED_MEDIA_TYPE",
        message: `Unsupported content type '${type}': send JSON (application/json)`,
      });
    }
    const text = await c.req.text();
    if (text.trim() === "") return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new TRPCError({ code: "PARSE_ERROR", message: "The body is not valid JSON", cause });
    }
  }

  async function handle(c: HonoContext) {
    const url = new URL(c.req.url);
    const path = normalizePath(url.pathname.slice(REST_BASE_PATH.length) || "/");
    const route = routesOf().find((r) => r.meta.method === c.req.method && r.pattern.test(path));
    if (!route) return fail(c, new TRPCError({ code: "NOT_FOUND", message: "Not found" }));
    const responseHeaders = new Headers();
    try {
      const raw = await readInput(c, route, url);
      const params = route.pattern.exec(path)?.groups ?? {};
      // The path names the thing: a field of the same name in the body does not redirect it.
      const input =
        raw !== null && typeof raw === "object" && !Array.isArray(raw)
          ? { ...raw, ...params }
          : Object.keys(params).length === 0
            ? raw
            : params;
      const ctx = await createHttpContext(services, {
        headers: c.req.raw.headers,
        setHeader: (name, value) => responseHeaders.set(name, value),
      });
      const caller = appRouter.createCaller(ctx, { signal: c.req.raw.signal });
      let call: unknown = caller;
      for (const segment of route.procedure.split(".")) {
        call = (call as Record<string, unknown>)[segment];
      }
      const data = await (call as (input: unknown) => Promise<unknown>)(input);
      responseHeaders.forEach((value, name) => {
        c.header(name, value);
      });
      return c.json(data ?? null);
    } catch (cause) {
      return fail(c, cause, route.procedure, responseHeaders);
    }
  }

  return new Hono().all(
    `${REST_BASE_PATH}/*`,
    limitBody({
      maxBytes: MAX_BODY_BYTES,
      tooLarge: (c) =>
        fail(c, new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: "Request body too large" })),
    }),
    handle,
  );
}
