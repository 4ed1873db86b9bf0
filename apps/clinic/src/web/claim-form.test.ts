import { describe, expect, it } from "vitest";
import { type ClaimFormValues, parseClaimForm } from "./claim-form.ts";

const valid: ClaimFormValues = {
  clinicReference: "INV-1",
  patientRef: "pat_8f3k2m9x",
  policyNumber: "POL-123456",
  currency: "EUR",
  code: "99213",
  serviceDate: "2026-11-27",
  quantity: "1",
  unitAmount: "85",
};

describe("parseClaimForm", () => {
  it("builds a SubmitClaimInput with the amount in minor units", () => {
    expect(parseClaimForm(valid)).toEqual({
      ok: true,
      input: {
        clinicReference: "INV-1",
        patientRef: "pat_8f3k2m9x",
        policyNumber: "POL-123456",
        currency: "EUR",
        serviceLines: [{ code: "99213", serviceDate: "2026-11-27", quantity: 1, unitAmount: 8500 }],
      },
    });
  });

  it("gives one message per wrong field, including the service line's", () => {
    const result = parseClaimForm({
      ...valid,
      clinicReference: "",
      policyNumber: "pol 1",
      code: "<b>",
      serviceDate: "27/11/2026",
      quantity: "one",
      unitAmount: "-3",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      "clinicReference",
      "code",
      "policyNumber",
      "quantity",
      "serviceDate",
      "unitAmount",
    ]);
    expect(result.errors.code).toBe("must be a procedure code like '99213'");
    expect(result.errors.quantity).toBe("must be a whole number like 1");
  });
});
