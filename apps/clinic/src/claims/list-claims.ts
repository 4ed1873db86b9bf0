import { asc, desc } from "drizzle-orm";
import type { DbExecutor } from "../db/open-database.ts";
import { claims } from "../db/schema.ts";
import { type DecisionDeadline, decisionDeadline } from "./decision-deadline.ts";

export type ClaimListItem = {
  id: string;
  clinicReference: string;
  status: string;
  version: number;
  total: { amount: number; currency: string };
  deadline: DecisionDeadline;
  updatedAt: string;
};

/** The clinic's most recently changed claims, newest first, with their decision deadline. */
export function listClaims(db: DbExecutor, now: number, limit = 200): ClaimListItem[] {
  return db
    .select()
    .from(claims)
    .orderBy(desc(claims.updatedAt), asc(claims.id))
    .limit(limit)
    .all()
    .map((row) => ({
      id: row.id,
      clinicReference: row.clinicReference,
      status: row.status,
      version: row.version,
      total: { amount: row.totalAmount, currency: row.currency },
      deadline: decisionDeadline(row.status, row.decisionDueAt, now),
      updatedAt: row.updatedAt,
    }));
}
