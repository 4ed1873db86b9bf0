import type { DbExecutor } from "@claimwire/clinic-db";
import { inbox } from "@claimwire/clinic-db";
import { desc } from "drizzle-orm";
import { z } from "zod";
import { ClaimMessageSchema, claimMessageColumns } from "../claims/claim-timeline.ts";

/**
 * One inbox message as the inbox page lists it: what the claim page lists for a message,
 * and the claim it is about.
 */
export const InboxMessageSchema = ClaimMessageSchema.extend({
  /** Empty for an event that belongs to no claim (operational, or of an unknown type). */
  claimId: z.string(),
});
export type InboxMessage = z.infer<typeof InboxMessageSchema>;

/**
 * The most recently received inbox messages, whatever became of them: applied, duplicate,
 * stale, ignored (an event type this clinic does not know), pending or failed.
 */
export function recentInboxMessages(db: DbExecutor, limit = 100): InboxMessage[] {
  return db
    .select({ ...claimMessageColumns, claimId: inbox.claimId })
    .from(inbox)
    .orderBy(desc(inbox.receivedAt), desc(inbox.webhookId))
    .limit(limit)
    .all();
}
