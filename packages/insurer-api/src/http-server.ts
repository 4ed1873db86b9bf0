import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import type { Services } from "@claimwire/insurer-domain";
import {
  createHealthRoutes,
  limitBody,
  type ReadinessChecks,
  traceRequests,
} from "@claimwire/service";
import { createAdaptorServer } from "@hono/node-server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { createConsoleRoutes } from "./console/serve-console.ts";
import { renderOpenApiDocument } from "./openapi/openapi-document.ts";
import { GENERATE_COMMAND, REFERENCE_HTML_PATH } from "./openapi/openapi-files.ts";
import { createRestRoutes, REST_BASE_PATH } from "./rest/rest-handler.ts";
import { appRouter } from "./routers/root.ts";
import { createHttpContext } from "./routers/trpc.ts";

/** Where the tRPC API lives (the SDK's and the console's `url`). */
export const TRPC_PATH = "/trpc";

/** 50 service lines fit in a few KB; refuse anything near a megabyte before parsing. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * The insurer's HTTP surface as a Hono app: the tRPC API under /trpc, the same procedures
 * as REST routes under /api/v1 (docs/api.md), their OpenAPI document (/openapi.json) and
 * reference page (/docs), the insurer console (/console/: static files of the built
 * React app, which calls /trpc with the key its user signs in with), probes (/healthz,
 * /readyz: docs/deploy.md) and
 * Prometheus metrics (/metrics, unauthenticated like the probes: counts and ages, no claim
 * data; bind INSURER_HOST to a private interface or put the scrape path behind the
 * proxy's ACL). The document, the page and the console's files hold no data, so they are
 * public too. Nothing else (CORS, other files) is served.
 */
export type HttpOptions = {
  /** The built insurer console, served at /console/ (the app passes it); null: not built. */
  consoleDir: string | null;
  /** What /readyz asks; none: always ready. */
  readiness?: ReadinessChecks;
  /** The drain's gate (SIGTERM), put before every route; none: never drains. */
  drainGate?: MiddlewareHandler;
};

/** Served while draining and never counted: what a load balancer and a scraper still ask. */
export const PROBE_PATHS = ["/healthz", "/readyz", "/metrics"];

export function createHttpApp(services: Services, options: HttpOptions): Hono {
  // Built on first request, once: the document of the routes this process serves (the
  // same text as the committed openapi/openapi.json; test/openapi-document.test.ts).
  let openApiJson: string | undefined;
  let referenceHtml: string | undefined;

  const referencePage = (c: Context) => {
    try {
      referenceHtml ??= readFileSync(REFERENCE_HTML_PATH, "utf8");
    } catch (err) {
      services.log.error({ err }, `API reference page missing: run ${GENERATE_COMMAND}`);
      return c.body("API reference page not built\n", 404, { "content-type": "text/plain" });
    }
    return c.body(referenceHtml, 200, { "content-type": "text/html; charset=utf-8" });
  };

  const app = new Hono()
    .use(options.drainGate ?? ((_c, next) => next()))
    // A server span per API call (a tRPC path names its procedures; REST paths hold ids).
    .use(
      `${TRPC_PATH}/*`,
      traceRequests((c) => `${c.req.method} ${c.req.path}`),
    )
    .use(
      `${REST_BASE_PATH}/*`,
      traceRequests((c) => `${c.req.method} ${REST_BASE_PATH}`),
    )
    .route("/", createHealthRoutes(options.readiness ?? {}))
    .route("/", createRestRoutes(services))
    .get("/openapi.json", (c) => {
      openApiJson ??= renderOpenApiDocument();
      return c.body(openApiJson, 200, { "content-type": "application/json" });
    })
    .get("/docs", referencePage)
    .get("/docs/", referencePage)
    .get("/metrics", async (c) => {
      const { registry } = services.metrics;
      try {
        return c.body(await registry.metrics(), 200, { "content-type": registry.contentType });
      } catch (err) {
        services.log.error({ err }, "metrics scrape failed");
        return c.body("metrics unavailable\n", 500, { "content-type": "text/plain" });
      }
    })
    .all(
      `${TRPC_PATH}/*`,
      limitBody({
        maxBytes: MAX_BODY_BYTES,
        tooLarge: (c) =>
          c.json(
            {
              error: {
                message: "Request body too large",
                code: -32013,
                data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
              },
            },
            413,
          ),
      }),
      (c) =>
        fetchRequestHandler({
          endpoint: TRPC_PATH,
          req: c.req.raw,
          router: appRouter,
          createContext: ({ req, resHeaders }) =>
            createHttpContext(services, {
              headers: req.headers,
              setHeader: (name, value) => resHeaders.set(name, value),
            }),
          onError: ({ error, path }) => {
            // Expected refusals (4xx) are the caller's business; only our failures are logged.
            if (error.code === "INTERNAL_SERVER_ERROR") {
              services.log.error({ err: error.cause ?? error, path }, "procedure failed");
            }
          },
        }),
    )
    .route("/", createConsoleRoutes({ distDir: options.consoleDir, log: services.log }));

  app.notFound((c) => c.json({ error: "not found" }, 404));
  app.onError((err, c) => {
    services.log.error({ err, path: c.req.path }, "request failed");
    return c.json({ error: "internal error" }, 500);
  });
  return app;
}

/** The app on a node `Server` (not listening yet): `main.ts` and the tests listen. */
export function createHttpServer(services: Services, options: HttpOptions): Server {
  return createAdaptorServer({ fetch: createHttpApp(services, options).fetch }) as Server;
}
