import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { clinicRouter } from "./clinic-router.ts";
import type { ClinicContext } from "./trpc.ts";

export const API_PATH = "/api/trpc";

/** `/api/trpc/*`: the clinic's tRPC API over HTTP (queries, mutations, SSE subscriptions). */
export function createApiRoutes(context: ClinicContext) {
  return new Hono().all(`${API_PATH}/*`, bodyLimit({ maxSize: 64 * 1024 }), (c) =>
    fetchRequestHandler({
      endpoint: API_PATH,
      req: c.req.raw,
      router: clinicRouter,
      createContext: () => context,
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          context.logger.error({ path, error: error.message }, "clinic API call failed");
        }
      },
    }),
  );
}
