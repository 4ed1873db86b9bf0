import type { DbExecutor } from "@claimwire/clinic-db";
import { claims } from "@claimwire/clinic-db";
import { type ClaimStatus, ClaimStatusSchema } from "@claimwire/contracts";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { decisionDeadline } from "./decision-deadline.ts";
import { statusHistory } from "./status-history.ts";

/** A status in words a patient understands: a short headline and what it means for them. */
const PATIENT_WORDING: Record<ClaimStatus, { headline: string; explanation: string }> = {
  submitted: {
    headline: "Sent to your insurer",
    explanation: "Your clinic sent this claim to your insurer, who will now look at it.",
  },
  in_review: {
    headline: "Being reviewed",
    explanation: "Your insurer is reviewing this claim.",
  },
  needs_info: {
    headline: "More information requested",
    explanation:
      "Your insurer asked your clinic for more information. Your clinic is taking care of it and will contact you if needed.",
  },
  approved: {
    headline: "Approved",
    explanation: "Your insurer approved this claim. Payment will follow.",
  },
  partially_approved: {
    headline: "Partly approved",
    explanation: "Your insurer approved part of this claim. Your clinic will explain the rest.",
  },
  rejected: {
    headline: "Not approved",
    explanation: "Your insurer did not approve this claim. Your clinic will contact you.",
  },
  paid: { headline: "Paid", explanation: "Your insurer has paid this claim." },
  withdrawn: {
    headline: "Withdrawn",
    explanation: "Your clinic withdrew this claim; nothing will be paid for it.",
  },
};

/**
 * Everything the patient page may show, and nothing more: the procedure declares it as its
 * output, so no amount, reason code, policy number, patient reference, internal id or
 * other claim can leak through it.
 */
export const PatientStatusSchema = z.object({
  clinicReference: z.string(),
  status: ClaimStatusSchema,
  headline: z.string(),
  explanation: z.string(),
  updatedAt: z.string(),
  /** Only while the insurer still owes a decision. */
  decisionDue: z.object({ dueAt: z.string(), businessDaysLeft: z.number().int() }).nullable(),
  updates: z.array(z.object({ at: z.string(), status: ClaimStatusSchema, headline: z.string() })),
});
export type PatientStatus = z.infer<typeof PatientStatusSchema>;

function wording(status: string) {
  const parsed = ClaimStatusSchema.safeParse(status);
  const known = parsed.success ? parsed.data : "in_review";
  return { status: known, ...PATIENT_WORDING[known] };
}

/** The claim behind a patient link in plain words, or undefined when no claim has that token. */
export function patientStatus(
  db: DbExecutor,
  token: string,
  now: number,
): PatientStatus | undefined {
  const claim = db.select().from(claims).where(eq(claims.patientToken, token)).get();
  if (!claim) return undefined;
  const history = statusHistory(db, claim.id);
  const current = wording(claim.status);
  const deadline = decisionDeadline(claim.status, claim.decisionDueAt, now);
  return {
    clinicReference: claim.clinicReference,
    status: current.status,
    headline: current.headline,
    explanation: current.explanation,
    updatedAt: claim.updatedAt,
    decisionDue:
      deadline.businessDaysLeft === null
        ? null
        : { dueAt: deadline.dueAt, businessDaysLeft: deadline.businessDaysLeft },
    updates: history.map((entry) => {
      const { status, headline } = wording(entry.status);
      return { at: entry.occurredAt, status, headline };
    }),
  };
}

/**
 * The claim behind a patient link, or undefined. Any string is looked up the same way
 * (one indexed equality), so a malformed token costs what an unknown one does.
 */
export function claimIdForPatientToken(db: DbExecutor, token: string): string | undefined {
  return db.select({ id: claims.id }).from(claims).where(eq(claims.patientToken, token)).get()?.id;
}
