import type { TRPCRouterRecord } from "@trpc/server";
import { ClinicChangeSchema } from "../live/clinic-changes.ts";
import { publicProcedure } from "./trpc.ts";

export const liveRouter = {
  /**
   * Every change to what the clinic's screens show, as it happens (server-sent events via
   * tRPC's httpSubscriptionLink): the web app refetches the claims, claim or inbox it names.
   */
  changes: publicProcedure.subscription(async function* ({ ctx, signal }) {
    if (!signal) return;
    // tRPC's `.output()` would parse the generator itself, not what it yields: each change
    // passes the schema here instead, so only its fields reach the browser.
    for await (const change of ctx.changes.subscribe(signal))
      yield ClinicChangeSchema.parse(change);
  }),
} satisfies TRPCRouterRecord;
