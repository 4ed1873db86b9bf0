import { createServer, type Server } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { Services } from "./domain/services.ts";
import { appRouter } from "./routers/root.ts";
import { createHttpContext } from "./routers/trpc.ts";

/**
 * The insurer's HTTP surface: the tRPC API under /trpc and a health check. Plain
 * node:http, so nothing else (CORS, static files) is served by accident.
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
    if (path?.startsWith("/trpc/")) {
      trpc(req, res);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: "not found" }));
  });
}
