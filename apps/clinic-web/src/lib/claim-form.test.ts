import { describe, expect, it } from "vitest";
import {
  type ClaimFormValues,
  emptyClaimForm,
  errorSummary,
  parseClaimForm,
  toMinorUnits,
} from "./claim-form.ts";

function filledForm(change: Partial<ClaimFormValues> = {}): ClaimFormValues {
  const form = emptyClaimForm("2026-11-30");
  return {
    ...form,
    clinicReference: " INV-2026-0042 ",
    patientRef: "pat_7f3k2m9x",
    policyNumber: "pol-123456",
    serviceLines: [{ ...form.serviceLines[0]!, code: "99213", unitAmount: "125.00" }],
    ...change,
  };
}

function line(code: string, quantity: string, unitAmount: string) {
  return { key: 0, code, serviceDate: "2026-11-30", quantity, unitAmount };
}

describe("parseClaimForm", () => {
  it("marks each empty required field of a new form, under the contract's field names", () => {
    const result = parseClaimForm(emptyClaimForm("2026-11-30"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual([
      "clinicReference",
      "patientRef",
      "policyNumber",
      "serviceLines.0.code",
      "serviceLines.0.unitAmount",
    ]);
    expect(result.errors["serviceLines.0.unitAmount"]).toBe("must be an amount like 12.50");
  });

  it("says why a patient's name is refused: the contract wants a pseudonymous token", () => {
    const result = parseClaimForm(filledForm({ patientRef: "Jane Doe" }));
    expect(result).toEqual({
      ok: false,
      errors: { patientRef: "must be a pseudonymous token like 'pat_8f3k2m9x', not a name" },
    });
  });

  it("refuses more decimals than the currency has, and quantities that are not whole numbers", () => {
    const result = parseClaimForm(
      filledForm({ serviceLines: [line("99213", "1", "12.345"), line("85025", "1.5", "30")] }),
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        "serviceLines.0.unitAmount": "must be an amount like 12.50",
        "serviceLines.1.quantity": "must be a whole number like 1",
      },
    });
  });

  it("gives the submission the insurer expects: trimmed, codes in capitals, amounts in cents", () => {
    const result = parseClaimForm(
      filledForm({
        currency: "eur",
        serviceLines: [line(" 99213 ", "1", "125"), line("j1100", " 2 ", "30,5")],
      }),
    );
    expect(result).toEqual({
      ok: true,
      input: {
        clinicReference: "INV-2026-0042",
        patientRef: "pat_7f3k2m9x",
        policyNumber: "POL-123456",
        currency: "EUR",
        serviceLines: [
          { code: "99213", serviceDate: "2026-11-30", quantity: 1, unitAmount: 12500 },
          { code: "J1100", serviceDate: "2026-11-30", quantity: 2, unitAmount: 3050 },
        ],
      },
    });
  });

  it("reads amounts in the currency's own minor units: yen have none", () => {
    const yen = (unitAmount: string) =>
      parseClaimForm(
        filledForm({ currency: "JPY", serviceLines: [line("99213", "1", unitAmount)] }),
      );
    expect(yen("1200")).toMatchObject({
      ok: true,
      input: { serviceLines: [{ unitAmount: 1200 }] },
    });
    expect(yen("1200.50")).toMatchObject({
      ok: false,
      errors: { "serviceLines.0.unitAmount": "must be an amount like 12.50" },
    });
  });
});

describe("the patient's e-mail", () => {
  it("is optional: without it the input carries no contact at all", () => {
    const result = parseClaimForm(filledForm());
    expect(result.ok && "patientContact" in result.input).toBe(false);
  });

  it("goes with its language, or the clinic's default when none is chosen", () => {
    expect(
      parseClaimForm(filledForm({ patientEmail: " ana@example.org ", patientLanguage: "ru" })),
    ).toMatchObject({
      ok: true,
      input: { patientContact: { email: "ana@example.org", language: "ru" } },
    });
    const byDefault = parseClaimForm(filledForm({ patientEmail: "ana@example.org" }));
    expect(byDefault).toMatchObject({
      ok: true,
      input: { patientContact: { email: "ana@example.org" } },
    });
    expect(byDefault.ok && byDefault.input.patientContact).not.toHaveProperty("language");
  });

  it("is refused under the API's field name when it is not an address", () => {
    expect(parseClaimForm(filledForm({ patientEmail: "ana at example" }))).toEqual({
      ok: false,
      errors: { "patientContact.email": "must be an e-mail address like name@example.org" },
    });
  });
});

describe("toMinorUnits", () => {
  it("converts on the digits, so amounts that floating point gets wrong come out exact", () => {
    expect(toMinorUnits("0.29", "EUR")).toBe(29);
    expect(toMinorUnits("1.005", "EUR")).toBeNull();
    expect(toMinorUnits("19.99", "EUR")).toBe(1999);
    expect(toMinorUnits("12.", "EUR")).toBe(1200);
  });

  it("refuses what is not a plain non-negative amount", () => {
    for (const text of ["", "-5", "1e3", "12.50 EUR", "€12", "1,000.00"]) {
      expect(toMinorUnits(text, "EUR"), text).toBeNull();
    }
  });
});

describe("errorSummary", () => {
  it("counts the fields to correct, in the singular for one", () => {
    expect(errorSummary(1)).toBe("Please correct 1 field marked below.");
    expect(errorSummary(3)).toBe("Please correct 3 fields marked below.");
  });
});
