import { createServer, type Server } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { Services } from "./domain/services.ts";
import { appRouter } from "./routers/root.ts";
import { createHttpContext } from "./routers/trpc.ts";

/**
 * The insurer's HTTP surface: the tRPC API under /trpc, a health check and Prometheus
 * metrics (/metrics, unauthenticated like /healthz: counts and ages, no claim data; bind
 * INSURER_HOST to a private interface or put the scrape path behind the proxy's ACL).
 * Plain node:http, so nothing else (CORS, static files) is served by accident.
 */
export function createHttpServer(services: Services): Server {
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    // 50 service lines fit in a few KB; refuse anything near a megabyte before parsing.
    maxBodySize: 1_000_000,
    createContext: ({ req }) => createHttpContext(services, req.headers.authorization),
    onError: ({ error, path }) => {
      // Expected refusals (4xx) are the caller's business; only our failures are logged.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        services.log.error({ err: error.cause ?? error, path }, "procedure failed");
      }
    },
  });
  return createServer((req, res) => {
    const path = req.url?.split("?")[0];
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
