import { allowedTransitions, type Claim } from "@claimwire/contracts";
import type { RouterInputs } from "./app-router.ts";
import { formatMoney, toMinorUnits } from "./format.ts";

export type Decision = RouterInputs["claims"]["decide"];

/** The fields a decision's form asks for, beyond the claim itself. */
export type DecisionField = "reasonCodes" | "approvedAmount" | "paymentReference";

/** One decision staff may take: its form's heading, its button, and what it asks. */
export type DecisionOption = {
  to: Decision["to"];
  title: string;
  action: string;
  asks: readonly DecisionField[];
};

/** What staff typed in a decision's form, as typed. */
export type DecisionInput = {
  reasonCodes: string;
  approvedAmount: string;
  paymentReference: string;
};

type DecidedClaim = Pick<Claim, "id" | "status" | "total" | "currency">;

/**
 * The decisions the state machine (contracts/src/claim-status.ts) allows insurer staff
 * from the claim's status, each asking only for what it needs; the button is named after
 * the decision ("Approve", "Reject", …). Empty once the claim is paid or closed.
 */
export function decisionOptions(claim: DecidedClaim): DecisionOption[] {
  return allowedTransitions(claim.status, "insurer").flatMap((to): DecisionOption[] => {
    switch (to) {
      case "in_review":
        return claim.status === "needs_info"
          ? [{ to, title: "Information received", action: "Resume review", asks: [] }]
          : [{ to, title: "Start the review", action: "Start review", asks: [] }];
      case "needs_info":
        return [
          {
            to,
            title: "Ask the clinic for information",
            action: "Request info",
            asks: ["reasonCodes"],
          },
        ];
      case "approved":
        return [
          {
            to,
            title: `Approve the full ${formatMoney(claim.total)}`,
            action: "Approve",
            asks: [],
          },
        ];
      case "partially_approved":
        return [
          {
            to,
            title: "Approve part of the claim",
            action: "Partial approval",
            asks: ["approvedAmount", "reasonCodes"],
          },
        ];
      case "rejected":
        return [{ to, title: "Reject the claim", action: "Reject", asks: ["reasonCodes"] }];
      case "paid":
        return [
          { to, title: "Record the payment", action: "Mark paid", asks: ["paymentReference"] },
        ];
      default:
        return []; // withdrawn is the clinic's move, never offered to staff
    }
  });
}

/** "missing_referral, NOT_COVERED" → ["MISSING_REFERRAL", "NOT_COVERED"] */
export function parseReasonCodes(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
}

/** The `claims.decide` input for a decision, from what staff typed in its form. */
export function toDecision(
  claim: DecidedClaim,
  to: Decision["to"],
  input: DecisionInput,
): Decision {
  const claimId = claim.id;
  switch (to) {
    case "in_review":
    case "approved":
      return { claimId, to };
    case "needs_info":
    case "rejected":
      return { claimId, to, reasonCodes: parseReasonCodes(input.reasonCodes) };
    case "partially_approved":
      return {
        claimId,
        to,
        approvedAmount: toMinorUnits(input.approvedAmount, claim.currency),
        reasonCodes: parseReasonCodes(input.reasonCodes),
      };
    case "paid":
      return { claimId, to, paymentReference: input.paymentReference.trim() };
  }
}
