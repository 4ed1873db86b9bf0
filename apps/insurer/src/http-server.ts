import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { createConsoleHandler, defaultConsoleDir, isConsolePath } from "./console/serve-console.ts";
import type { Services } from "./domain/services.ts";
import { renderOpenApiDocument } from "./openapi/openapi-document.ts";
import { GENERATE_COMMAND, REFERENCE_HTML_PATH } from "./openapi/openapi-files.ts";
import { createRestHandler, REST_BASE_PATH } from "./rest/rest-handler.ts";
import { appRouter } from "./routers/root.ts";
import { createHttpContext } from "./routers/trpc.ts";

/**
 * The insurer's HTTP surface: the tRPC API under /trpc, the same procedures as REST
 * routes under /api/v1 (docs/api.md), their OpenAPI document (/openapi.json) and
 * reference page (/docs), the insurer console (/console/: static files of the built
 * React app, which calls /trpc with the key its user signs in with), a health check and
 * Prometheus metrics (/metrics, unauthenticated like /healthz: counts and ages, no claim
 * data; bind INSURER_HOST to a private interface or put the scrape path behind the
 * proxy's ACL). The document, the page and the console's files hold no data, so they are
 * public too. Plain node:http, so nothing else (CORS, other files) is served by accident.
 */
export function createHttpServer(services: Services): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    // 50 service lines fit in a few KB; refuse anything near a megabyte before parsing.
    maxBodySize: 1_000_000,
    createContext: ({ req, res }) => createHttpContext(services, { req, res }),
    onError: ({ error, path }) => {
      // Expected refusals (4xx) are the caller's business; only our failures are logged.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        services.log.error({ err: error.cause ?? error, path }, "procedure failed");
      }
    },
  });
  const rest = createRestHandler(services);
  const consoleFiles = createConsoleHandler({
    distDir: defaultConsoleDir(),
    log: services.log,
  });
  // Built on first request, once: the document of the routes this process serves (the
  // same text as the committed openapi/openapi.json; test/openapi-document.test.ts).
  let openApiJson: string | undefined;
  let referenceHtml: string | undefined;
  return createServer((req, res) => {
    const path = req.url?.split("?")[0];
    if (path === REST_BASE_PATH || path?.startsWith(`${REST_BASE_PATH}/`)) {
      rest(req, res);
      return;
    }
    if (req.method === "GET" && path === "/openapi.json") {
      openApiJson ??= renderOpenApiDocument();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(openApiJson);
      return;
    }
    if (req.method === "GET" && (path === "/docs" || path === "/docs/")) {
      try {
        referenceHtml ??= readFileSync(REFERENCE_HTML_PATH, "utf8");
      } catch (err) {
        services.log.error({ err }, `API reference page missing: run ${GENERATE_COMMAND}`);
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("API reference page not built\n");
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(referenceHtml);
      return;
    }
    if (path !== undefined && isConsolePath(path)) {
      consoleFiles(req, res);
      return;
    }
    if (req.method === "GET" && path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
      return;
    }
    if (req.method === "GET" && path === "/metrics") {
      const { registry } = services.metrics;
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          services.log.error({ err }, "metrics scrape failed");
          res.writeHead(500, { "content-type": "text/plain" });
          res.end("metrics unavailable\n");
        },
      );
      return;
    }
    if (path?.startsWith("/trpc/")) {
      trpc(req, res);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
  });
}
