import type { TRPCRouterRecord } from "@trpc/server";
import { publicProcedure } from "./trpc.ts";

export const liveRouter = {
  /**
   * Every change to what the clinic's screens show, as it happens (server-sent events via
   * tRPC's httpSubscriptionLink): the web app refetches the claims, claim or inbox it names.
   */
  changes: publicProcedure.subscription(async function* ({ ctx, signal }) {
    if (!signal) return;
    yield* ctx.changes.subscribe(signal);
  }),
} satisfies TRPCRouterRecord;
