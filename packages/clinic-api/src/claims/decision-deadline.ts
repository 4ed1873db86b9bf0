import { businessDaysBetween, OPEN_STATUSES } from "@claimwire/contracts";
import { z } from "zod";

export const DecisionDeadlineSchema = z.object({
  /** When the insurer must decide by (20 business days after submission; contracts). */
  dueAt: z.string(),
  /** Whole business days left (negative: overdue); null once decided or withdrawn. */
  businessDaysLeft: z.number().int().nullable(),
});
export type DecisionDeadline = z.infer<typeof DecisionDeadlineSchema>;

/**
 * The decision deadline as the clinic shows it: the time left counts business days (UTC,
 * Monday to Friday) with the one function in contracts that does it.
 *
 * @example
 * decisionDeadline("in_review", "2026-12-28T09:00:00.000Z", Date.parse("2026-11-30T09:00:00Z"));
 * // { dueAt: "2026-12-28T09:00:00.000Z", businessDaysLeft: 20 }
 */
export function decisionDeadline(status: string, dueAt: string, now: number): DecisionDeadline {
  // Open statuses: the insurer still owes a decision, so its deadline runs.
  const running = (OPEN_STATUSES as readonly string[]).includes(status);
  return {
    dueAt,
    businessDaysLeft: running ? businessDaysBetween(new Date(now), new Date(dueAt)) : null,
  };
}
