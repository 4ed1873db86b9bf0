import type { DbExecutor } from "@claimwire/clinic-db";
import { inbox } from "@claimwire/clinic-db";
import { and, desc, eq, inArray, isNotNull } from "drizzle-orm";
import { z } from "zod";

/** An inbox message that needs an operator's eye. */
export const ProblemMessageSchema = z.object({
  webhookId: z.string(),
  eventType: z.string(),
  claimId: z.string(),
  version: z.number().int(),
  source: z.string(),
  /** "quarantined": threw on every attempt; "failed": refused at once; "retrying": still trying. */
  state: z.enum(["quarantined", "failed", "retrying"]),
  attempts: z.number().int(),
  retryAt: z.string().nullable(),
  error: z.string(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
});
export type ProblemMessage = z.infer<typeof ProblemMessageSchema>;

/**
 * The inbox messages that need an operator's eye: quarantined or failed ones (they will not
 * be tried again unless requeued) and pending ones whose processing has thrown at least
 * once (still retrying). Newest first.
 */
export function problemMessages(db: DbExecutor, limit = 100): ProblemMessage[] {
  const rows = db
    .select()
    .from(inbox)
    .where(and(isNotNull(inbox.error), inArray(inbox.state, ["quarantined", "failed", "pending"])))
    .orderBy(desc(inbox.receivedAt), desc(inbox.webhookId))
    .limit(limit)
    .all();
  return rows.map((row) => ({
    webhookId: row.webhookId,
    eventType: row.eventType,
    claimId: row.claimId,
    version: row.version,
    source: row.source,
    state: row.state === "pending" ? "retrying" : (row.state as "quarantined" | "failed"),
    attempts: row.attempts,
    retryAt: row.retryAt,
    error: row.error ?? "",
    receivedAt: row.receivedAt,
    processedAt: row.processedAt,
  }));
}

/**
 * Puts a quarantined message back in line for processing (after the cause was fixed), with
 * a fresh set of retries. Returns false when no quarantined message has that id.
 */
export function requeueMessage(db: DbExecutor, webhookId: string): boolean {
  const result = db
    .update(inbox)
    .set({ state: "pending", attempts: 0, retryAt: null, processedAt: null, error: null })
    .where(and(eq(inbox.webhookId, webhookId), eq(inbox.state, "quarantined")))
    .run();
  return result.changes > 0;
}
