import type { Claim, ClaimStatus } from "@claimwire/contracts";
import { seededRandom } from "@claimwire/testing";
import { describe, expect, it } from "vitest";
import { planNextStep } from "./adjudication-plan.ts";

const DAY = 86_400_000;

function claimIn(status: ClaimStatus, total = 18_500): Claim {
  return {
    id: "clm_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
    clinicId: "cln_01JDQ6Y0000000000000000000",
    clinicReference: "INV-1",
    patientRef: "pat_8f3k2m9x",
    policyNumber: "POL-1234",
    currency: "EUR",
    serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: total }],
    total: { amount: total, currency: "EUR" },
    status,
    version: 1,
    submittedAt: "2026-11-27T09:30:00.000Z",
    decisionDueAt: "2026-12-25T09:30:00.000Z",
    decidedAt: null,
    approvedAmount: null,
    reasonCodes: [],
    paymentReference: null,
    updatedAt: "2026-11-27T09:30:00.000Z",
  };
}

describe("planNextStep", () => {
  it("is deterministic for the same random source", () => {
    const a = planNextStep(claimIn("in_review"), seededRandom(7));
    const b = planNextStep(claimIn("in_review"), seededRandom(7));
    expect(a).toEqual(b);
  });

  it("decides reviews ~70% approved, 15% partial, 10% rejected, 5% needs_info", () => {
    const random = seededRandom(1);
    const counts: Record<string, number> = {};
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const to = planNextStep(claimIn("in_review"), random)!.decision.to;
      counts[to] = (counts[to] ?? 0) + 1;
    }
    const share = (to: string) => (counts[to] ?? 0) / n;
    expect(share("approved")).toBeCloseTo(0.7, 1);
    expect(share("partially_approved")).toBeCloseTo(0.15, 1);
    expect(share("rejected")).toBeCloseTo(0.1, 1);
    expect(share("needs_info")).toBeCloseTo(0.05, 1);
  });

  it("spreads delays from milliseconds to about 20 business days", () => {
    const random = seededRandom(2);
    const delays = Array.from(
      { length: 5_000 },
      () => planNextStep(claimIn("in_review"), random)!.afterSimulatedMs,
    );
    expect(Math.min(...delays)).toBeLessThan(100);
    expect(Math.max(...delays)).toBeGreaterThan(10 * DAY);
    expect(Math.max(...delays)).toBeLessThanOrEqual(28 * DAY);
  });

  it("gives partial approvals an amount below the total, and pays decided claims", () => {
    const random = seededRandom(3);
    for (let i = 0; i < 2_000; i++) {
      const { decision } = planNextStep(claimIn("in_review", 101), random)!;
      if (decision.to === "partially_approved") {
        expect(decision.approvedAmount).toBeGreaterThanOrEqual(1);
        expect(decision.approvedAmount).toBeLessThan(101);
      }
    }
    expect(planNextStep(claimIn("approved"), random)?.decision.to).toBe("paid");
    expect(planNextStep(claimIn("needs_info"), random)?.decision.to).toBe("in_review");
    expect(planNextStep(claimIn("submitted"), random)?.decision.to).toBe("in_review");
  });

  it("leaves terminal claims alone", () => {
    for (const status of ["paid", "rejected", "withdrawn"] as const) {
      expect(planNextStep(claimIn(status), Math.random)).toBeNull();
    }
  });
});
