import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  loadReconciliationState,
  ReconciliationStatusSchema,
} from "../reconciliation/reconciliation-state.ts";
import { publicProcedure } from "./trpc.ts";

export const reconciliationRouter = {
  /** When reconciliation with the insurer's event feed last ran, and how it went. */
  status: publicProcedure.output(ReconciliationStatusSchema).query(({ ctx }) => {
    const { cursor: _cursor, ...state } = loadReconciliationState(ctx.db);
    return state;
  }),

  /** Runs reconciliation now (joins a run already going) and returns what it did. */
  run: publicProcedure
    .output(
      z.object({
        fetched: z.number().int(),
        stored: z.number().int(),
        error: z.string().nullable(),
      }),
    )
    .mutation(async ({ ctx }) => {
      const run = await ctx.reconciler.runOnce();
      return { fetched: run.fetched, stored: run.stored, error: run.error ?? null };
    }),
} satisfies TRPCRouterRecord;
