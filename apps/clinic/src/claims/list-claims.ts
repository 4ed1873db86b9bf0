import { asc, desc, inArray } from "drizzle-orm";
import type { ClinicDatabase } from "../db/open-database.ts";
import { type ClaimRow, claimStatusHistory, claims, type HistoryRow } from "../db/schema.ts";

export type ClaimWithHistory = Omit<ClaimRow, "reasonCodes"> & {
  reasonCodes: string[];
  history: Omit<HistoryRow, "claimId">[];
};

/** The clinic's most recently changed claims, each with its status history in version order. */
export function listClaims(db: ClinicDatabase, limit = 200): ClaimWithHistory[] {
  const rows = db
    .select()
    .from(claims)
    .orderBy(desc(claims.updatedAt), asc(claims.id))
    .limit(limit)
    .all();
  const history = new Map<string, Omit<HistoryRow, "claimId">[]>();
  const entries = db
    .select()
    .from(claimStatusHistory)
    .where(
      inArray(
        claimStatusHistory.claimId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(claimStatusHistory.version))
    .all();
  for (const { claimId, ...entry } of entries) {
    history.set(claimId, [...(history.get(claimId) ?? []), entry]);
  }
  return rows.map((row) => ({
    ...row,
    reasonCodes: JSON.parse(row.reasonCodes) as string[],
    history: history.get(row.id) ?? [],
  }));
}
