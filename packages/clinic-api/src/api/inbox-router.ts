import { TRPCError, type TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";
import { InboxMessageSchema, recentInboxMessages } from "../inbox/recent-inbox-messages.ts";
import {
  ProblemMessageSchema,
  problemMessages,
  requeueMessage,
} from "../processor/quarantined-messages.ts";
import { publicProcedure } from "./trpc.ts";

export const inboxRouter = {
  /** The latest messages received (newest first), with what became of each. */
  recent: publicProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).optional())
    .output(z.array(InboxMessageSchema))
    .query(({ ctx, input }) => recentInboxMessages(ctx.db, input?.limit)),

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
