import { CLAIM_TRANSITIONS, type ClaimStatus } from "@claimwire/contracts";
import { describe, expect, it } from "vitest";
import { patientMessage } from "./patient-message.ts";

const claim = {
  clinicReference: "INV-7",
  currency: "EUR",
  totalAmount: 20_000,
  approvedAmount: null,
  paidAmount: null,
  decisionDueAt: "2026-12-28T08:00:00.000Z",
};

describe("patientMessage", () => {
  it.each(Object.keys(CLAIM_TRANSITIONS) as ClaimStatus[])(
    "names the claim by its reference for status %s",
    (status) => {
      expect(patientMessage({ ...claim, status })).toContain("claim INV-7");
    },
  );

  it("gives amounts in the currency, from minor units", () => {
    expect(patientMessage({ ...claim, status: "submitted" })).toContain("(€200.00)");
    expect(patientMessage({ ...claim, status: "submitted" })).toContain("due by 2026-12-28");
    expect(
      patientMessage({ ...claim, status: "partially_approved", approvedAmount: 12_050 }),
    ).toContain("approved €120.50 of €200.00");
    expect(
      patientMessage({ ...claim, status: "paid", approvedAmount: 12_050, paidAmount: 12_050 }),
    ).toContain("paid €120.50");
  });
});
