import { OpsOverviewSchema } from "@claimwire/contracts";
import { opsOverview } from "@claimwire/insurer-domain";
import type { TRPCRouterRecord } from "@trpc/server";
import { staffProcedure } from "./trpc.ts";

/** How delivery is going across every clinic: insurer staff only. */
export const opsRouter = {
  overview: staffProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/ops/overview",
        tags: ["ops"],
        summary:
          "Attempts per minute (last hour), failing and disabled endpoints, oldest undelivered (staff)",
        protect: true,
      },
    })
    .output(OpsOverviewSchema)
    .query(({ ctx }) => opsOverview(ctx.services)),
} satisfies TRPCRouterRecord;
