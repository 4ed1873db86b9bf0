import { WhoAmIOutputSchema } from "@claimwire/contracts";
import { apiKeysRouter } from "./api-keys.ts";
import { claimsRouter } from "./claims.ts";
import { clinicsRouter } from "./clinics.ts";
import { deliveriesRouter } from "./deliveries.ts";
import { endpointsRouter } from "./endpoints.ts";
import { eventTypesRouter } from "./event-types.ts";
import { eventsRouter } from "./events.ts";
import { opsRouter } from "./ops.ts";
import { authedProcedure, createCallerFactory, createTRPCRouter } from "./trpc.ts";

/**
 * The insurer API. Clients import `AppRouter` by type only
 * (`import type { AppRouter } from "@claimwire/insurer/router"`).
 */
export const appRouter = createTRPCRouter({
  claims: claimsRouter,
  endpoints: endpointsRouter,
  deliveries: deliveriesRouter,
  clinics: clinicsRouter,
  apiKeys: apiKeysRouter,
  events: eventsRouter,
  eventTypes: eventTypesRouter,
  ops: opsRouter,
  me: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/me",
        tags: ["me"],
        summary: "Who the API key belongs to",
        protect: true,
      },
    })
    .output(WhoAmIOutputSchema)
    .query(({ ctx }) => ctx.principal),
});

export type AppRouter = typeof appRouter;

/** In-process calls for tests: `createCaller(createContextInner({ principal, services }))`. */
export const createCaller = createCallerFactory(appRouter);
