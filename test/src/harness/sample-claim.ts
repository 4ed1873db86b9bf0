import type { SubmitClaimInput } from "@claimwire/contracts";

let counter = 0;

/** A valid claim with a fresh clinic reference: pseudonymous patient, two service lines. */
export function sampleClaim(overrides: Partial<SubmitClaimInput> = {}): SubmitClaimInput {
  counter += 1;
  return {
    clinicReference: `E2E-${process.pid}-${Date.now()}-${counter}`,
    patientRef: "pat_7f3k2m9x",
    policyNumber: "POL-123456",
    currency: "EUR",
    serviceLines: [
      { code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: 12_500 },
      { code: "85025", serviceDate: "2026-11-20", quantity: 2, unitAmount: 3_000 },
    ],
    ...overrides,
  };
}
