import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import {
  ProblemMessageSchema,
  problemMessages,
  requeueMessage,
} from "../processor/quarantined-messages.ts";
import { publicProcedure } from "./trpc.ts";

export const inboxRouter = {
  /** Messages whose processing failed: quarantined, refused, or still being retried. */
  quarantined: publicProcedure
    .output(z.array(ProblemMessageSchema))
    .query(({ ctx }) => problemMessages(ctx.db)),

  /** Puts a quarantined message back in line, with fresh retries (once its cause is fixed). */
  requeue: publicProcedure
    .input(z.object({ webhookId: z.string().min(1).max(128) }))
    .output(z.object({ webhookId: z.string() }))
    .mutation(({ ctx, input }) => {
      if (!requeueMessage(ctx.db, input.webhookId)) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `No quarantined message with webhook-id '${input.webhookId}'`,
        });
      }
      ctx.changes.publish({ kind: "inbox", webhookId: input.webhookId, state: "requeued" });
      ctx.wakeProcessor();
      return { webhookId: input.webhookId };
    }),
} satisfies TRPCRouterRecord;
