import type { DbExecutor } from "@claimwire/clinic-db";
import { INBOX_SOURCES, INBOX_STATES, inbox } from "@claimwire/clinic-db";
import { desc } from "drizzle-orm";
import { z } from "zod";

/** One inbox message as the inbox page lists it: what came, and what became of it. */
export const InboxMessageSchema = z.object({
  webhookId: z.string(),
  eventType: z.string(),
  /** Empty for an event that belongs to no claim (operational, or of an unknown type). */
  claimId: z.string(),
  version: z.number().int(),
  state: z.enum(INBOX_STATES),
  source: z.enum(INBOX_SOURCES),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
  deliveries: z.number().int(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  note: z.string().nullable(),
});
export type InboxMessage = z.infer<typeof InboxMessageSchema>;

/**
 * The most recently received inbox messages, whatever became of them: applied, duplicate,
 * stale, ignored (an event type this clinic does not know), pending or failed.
 */
export function recentInboxMessages(db: DbExecutor, limit = 100): InboxMessage[] {
  return db
    .select({
      webhookId: inbox.webhookId,
      eventType: inbox.eventType,
      claimId: inbox.claimId,
      version: inbox.version,
      state: inbox.state,
      source: inbox.source,
      receivedAt: inbox.receivedAt,
      processedAt: inbox.processedAt,
      deliveries: inbox.deliveries,
      attempts: inbox.attempts,
      error: inbox.error,
      note: inbox.note,
    })
    .from(inbox)
    .orderBy(desc(inbox.receivedAt), desc(inbox.webhookId))
    .limit(limit)
    .all();
}
