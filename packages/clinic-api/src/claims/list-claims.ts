import type { DbExecutor } from "@claimwire/clinic-db";
import { claims } from "@claimwire/clinic-db";
import { asc, desc } from "drizzle-orm";
import { z } from "zod";
import { DecisionDeadlineSchema, decisionDeadline } from "./decision-deadline.ts";

/** A claim's amount in minor units and its currency. */
export const ClinicMoneySchema = z.object({ amount: z.number().int(), currency: z.string() });

/** One row of the clinic's claim list. */
export const ClaimListItemSchema = z.object({
  id: z.string(),
  clinicReference: z.string(),
  status: z.string(),
  version: z.number().int(),
  total: ClinicMoneySchema,
  deadline: DecisionDeadlineSchema,
  updatedAt: z.string(),
});
export type ClaimListItem = z.infer<typeof ClaimListItemSchema>;

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
