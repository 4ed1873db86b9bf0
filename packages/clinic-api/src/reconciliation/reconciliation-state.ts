import type { DbExecutor } from "@claimwire/clinic-db";
import { type FeedReconciliationRow, feedReconciliation } from "@claimwire/clinic-db";
import { eq } from "drizzle-orm";
import { z } from "zod";

const ROW_ID = 1;

export type ReconciliationState = Omit<FeedReconciliationRow, "id">;

/** How reconciliation went, as the web app shows it (the feed cursor stays inside). */
export const ReconciliationStatusSchema = z.object({
  lastRunAt: z.string().nullable(),
  lastRunFetched: z.number().int(),
  lastRunNew: z.number().int(),
  lastRunError: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
});

const NEVER: ReconciliationState = {
  cursor: null,
  lastRunAt: null,
  lastRunFetched: 0,
  lastRunNew: 0,
  lastRunError: null,
  lastSuccessAt: null,
};

/** Where reconciliation has read the feed up to and how its latest run went (never run: all empty). */
export function loadReconciliationState(db: DbExecutor): ReconciliationState {
  const row = db.select().from(feedReconciliation).where(eq(feedReconciliation.id, ROW_ID)).get();
  if (!row) return NEVER;
  const { id: _id, ...state } = row;
  return state;
}

/** Changes the given fields of the single state row (creating it on first use). */
export function updateReconciliationState(
  db: DbExecutor,
  changes: Partial<ReconciliationState>,
): void {
  db.insert(feedReconciliation)
    .values({ ...NEVER, ...changes, id: ROW_ID })
    .onConflictDoUpdate({ target: feedReconciliation.id, set: changes })
    .run();
}
