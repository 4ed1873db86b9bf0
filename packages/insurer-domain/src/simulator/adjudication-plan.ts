import type { Claim, DecideClaimInput } from "@claimwire/contracts";

/**
 * What the simulated adjudicators do next with a claim, and after how long in simulated
 * time: from milliseconds (auto-adjudication) to about 20 business days.
 */

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;

export type PlannedStep = { decision: DecideClaimInput; afterSimulatedMs: number };

/** Log-uniform between a and b: as many claims take seconds as take days. */
function logUniform(random: () => number, a: number, b: number): number {
  return Math.exp(Math.log(a) + random() * (Math.log(b) - Math.log(a)));
}

/** Either an instant machine decision or a human one (1 h to `humanMaxMs`). */
function delay(random: () => number, autoShare: number, humanMaxMs: number): number {
  return random() < autoShare
    ? logUniform(random, 5, 2 * SECOND)
    : logUniform(random, HOUR, humanMaxMs);
}

function pick<T>(random: () => number, items: readonly [T, ...T[]]): T {
  return items[Math.floor(random() * items.length)] ?? items[0];
}

/**
 * The next step for a claim in its current status, or null when the simulator has
 * nothing to do (terminal, or the clinic's move). Pure: the same random draws give the
 * same plan. Outcomes from review: 70% approved, 15% partially approved, 10% rejected,
 * 5% needs_info (then back to review).
 */
export function planNextStep(claim: Claim, random: () => number): PlannedStep | null {
  const claimId = claim.id;
  switch (claim.status) {
    case "submitted":
      return {
        decision: { claimId, to: "in_review" },
        afterSimulatedMs: delay(random, 0.6, 2 * DAY),
      };
    case "needs_info":
      return {
        decision: { claimId, to: "in_review" },
        afterSimulatedMs: delay(random, 0, 5 * DAY),
      };
    case "approved":
    case "partially_approved": {
      const paymentReference = `PAY-${random().toString(36).slice(2, 10).toUpperCase()}`;
      return {
        decision: { claimId, to: "paid", paymentReference },
        afterSimulatedMs: delay(random, 0, 5 * DAY),
      };
    }
    case "in_review": {
      // Review plus the first step stay within 20 business days (28 calendar days).
      const afterSimulatedMs = delay(random, 0.4, 26 * DAY);
      const outcome = random();
      const total = claim.total.amount;
      if (outcome < 0.7 || (outcome < 0.85 && total < 2)) {
        return { decision: { claimId, to: "approved" }, afterSimulatedMs };
      }
      if (outcome < 0.85) {
        const approvedAmount = Math.min(
          total - 1,
          Math.max(1, Math.floor(total * (0.3 + 0.6 * random()))),
        );
        const reasonCodes = [pick(random, ["EXCEEDS_TARIFF", "PARTIALLY_COVERED"] as const)];
        return {
          decision: { claimId, to: "partially_approved", approvedAmount, reasonCodes },
          afterSimulatedMs,
        };
      }
      if (outcome < 0.95) {
        const reasonCodes = [
          pick(random, ["NOT_COVERED", "POLICY_INACTIVE", "DUPLICATE_CLAIM"] as const),
        ];
        return { decision: { claimId, to: "rejected", reasonCodes }, afterSimulatedMs };
      }
      const reasonCodes = [pick(random, ["MISSING_REFERRAL", "MISSING_DOCUMENTATION"] as const)];
      return { decision: { claimId, to: "needs_info", reasonCodes }, afterSimulatedMs };
    }
    default:
      return null;
  }
}
