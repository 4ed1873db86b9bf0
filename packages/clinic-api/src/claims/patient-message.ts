import { type ClaimStatus, formatMoney } from "@claimwire/contracts";

export type PatientMessageInput = {
  clinicReference: string;
  status: ClaimStatus;
  currency: string;
  totalAmount: number;
  approvedAmount: number | null;
  paidAmount: number | null;
  decisionDueAt: string;
};

/**
 * The plain-language notice a patient gets when their claim changes status. It names the
 * claim by the clinic's reference and gives amounts and dates — never clinical data, and
 * not the insurer's reason codes (the clinic explains those in person).
 */
export function patientMessage(claim: PatientMessageInput): string {
  const ref = `claim ${claim.clinicReference}`;
  const money = (amount: number) => formatMoney(amount, claim.currency);
  const total = money(claim.totalAmount);
  switch (claim.status) {
    case "submitted":
      return `Your clinic sent ${ref} (${total}) to your insurer. A decision is due by ${claim.decisionDueAt.slice(0, 10)}.`;
    case "in_review":
      return `Your insurer is now reviewing ${ref} (${total}).`;
    case "needs_info":
      return `Your insurer asked for more information about ${ref}. Your clinic will take care of it and contact you if needed.`;
    case "approved":
      return `Good news: your insurer approved ${ref}. ${money(claim.approvedAmount ?? claim.totalAmount)} will be paid.`;
    case "partially_approved":
      return `Your insurer approved ${money(claim.approvedAmount ?? 0)} of ${total} for ${ref}. Your clinic will explain the rest.`;
    case "rejected":
      return `Your insurer did not approve ${ref} (${total}). Your clinic will contact you about the next steps.`;
    case "paid":
      return `Your insurer paid ${money(claim.paidAmount ?? claim.approvedAmount ?? claim.totalAmount)} for ${ref}.`;
    case "withdrawn":
      return `Your clinic withdrew ${ref}; nothing will be paid for it.`;
  }
}
