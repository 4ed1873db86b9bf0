import type { DbExecutor } from "@claimwire/clinic-db";
import { claimStatusHistory, type HistoryRow } from "@claimwire/clinic-db";
import { asc, eq } from "drizzle-orm";

/** Every status the claim went through, oldest version first (staff and patient pages). */
export function statusHistory(db: DbExecutor, claimId: string): HistoryRow[] {
  return db
    .select()
    .from(claimStatusHistory)
    .where(eq(claimStatusHistory.claimId, claimId))
    .orderBy(asc(claimStatusHistory.version))
    .all();
}
