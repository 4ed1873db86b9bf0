import { z } from "zod";
import { ReasonCodeSchema } from "./claim.ts";
import { MoneySchema } from "./money.ts";

/**
 * What a claim's decisions have brought so far, whatever its status: the insurer puts it
 * in every claim event (`data.summary`), and a receiver stores it as it is, so it never
 * has to know which status sets or clears which field (the reasons of a request for
 * information are gone once review resumes; an approval in full has none).
 *
 * @example
 * { approvedAmount: { amount: 18500, currency: "EUR" }, paidAmount: null, reasonCodes: [], paymentReference: null }
 */
export const ClaimStatusSummarySchema = z
  .object({
    /** Set by an approval (in full or in part); null before. */
    approvedAmount: MoneySchema.nullable(),
    /** Set once paid; null before. */
    paidAmount: MoneySchema.nullable(),
    /** Why information is needed, a claim was rejected or only partly approved; else empty. */
    reasonCodes: z.array(ReasonCodeSchema),
    /** The insurer's payment reference once paid; null before. */
    paymentReference: z.string().min(1).max(64).nullable(),
  })
  .describe("The claim's decision fields after this status change, whatever the status.");
export type ClaimStatusSummary = z.infer<typeof ClaimStatusSummarySchema>;
