import { z } from "zod";

/**
 * The claim state machine, defined here once for every side.
 *
 *   submitted → in_review ⇄ needs_info
 *   in_review → approved | partially_approved | rejected
 *   approved | partially_approved → paid
 *   submitted | in_review | needs_info → withdrawn   (by the clinic, before a decision)
 */
export const ClaimStatusSchema = z.enum([
  "submitted",
  "in_review",
  "needs_info",
  "approved",
  "partially_approved",
  "rejected",
  "paid",
  "withdrawn",
]);
export type ClaimStatus = z.infer<typeof ClaimStatusSchema>;

export const ActorSchema = z.enum(["insurer", "clinic"]);
export type Actor = z.infer<typeof ActorSchema>;

type Transition = { readonly to: ClaimStatus; readonly by: Actor };

export const CLAIM_TRANSITIONS: Readonly<Record<ClaimStatus, readonly Transition[]>> = {
  submitted: [
    { to: "in_review", by: "insurer" },
    { to: "withdrawn", by: "clinic" },
  ],
  in_review: [
    { to: "needs_info", by: "insurer" },
    { to: "approved", by: "insurer" },
    { to: "partially_approved", by: "insurer" },
    { to: "rejected", by: "insurer" },
    { to: "withdrawn", by: "clinic" },
  ],
  needs_info: [
    { to: "in_review", by: "insurer" },
    { to: "withdrawn", by: "clinic" },
  ],
  approved: [{ to: "paid", by: "insurer" }],
  partially_approved: [{ to: "paid", by: "insurer" }],
  rejected: [],
  paid: [],
  withdrawn: [],
};

/**
 * Open statuses: the insurer still owes a decision, so its deadline runs, the staff queue
 * lists the claim, and the clinic may still withdraw it.
 */
export const OPEN_STATUSES: readonly ClaimStatus[] = ["submitted", "in_review", "needs_info"];

/** Statuses that carry the insurer's decision (the deadline no longer runs). */
export const DECISION_STATUSES: readonly ClaimStatus[] = [
  "approved",
  "partially_approved",
  "rejected",
];

export function isTerminal(status: ClaimStatus): boolean {
  return CLAIM_TRANSITIONS[status].length === 0;
}

export function allowedTransitions(from: ClaimStatus, by: Actor): ClaimStatus[] {
  return CLAIM_TRANSITIONS[from].filter((t) => t.by === by).map((t) => t.to);
}

export function canTransition(from: ClaimStatus, to: ClaimStatus, by: Actor): boolean {
  return CLAIM_TRANSITIONS[from].some((t) => t.to === to && t.by === by);
}
