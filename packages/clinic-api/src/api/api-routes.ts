import { limitBody } from "@claimwire/service";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { Hono } from "hono";
import { clinicRouter } from "./clinic-router.ts";
import type { ClinicContext } from "./trpc.ts";

export const API_PATH = "/api/trpc";

/** A claim form's JSON is a few KB; refuse anything far beyond before parsing. */
const MAX_BODY_BYTES = 64 * 1024;

/** `/api/trpc/*`: the clinic's tRPC API over HTTP (queries, mutations, SSE subscriptions). */
export function createApiRoutes(context: ClinicContext) {
  const tooLarge = limitBody({
    maxBytes: MAX_BODY_BYTES,
    tooLarge: (c) =>
      c.json(
        {
          error: {
            message: `Request body too large: at most ${MAX_BODY_BYTES} bytes`,
            code: -32013,
            data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
          },
        },
        413,
      ),
  });
  return new Hono().all(`${API_PATH}/*`, tooLarge, (c) =>
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
