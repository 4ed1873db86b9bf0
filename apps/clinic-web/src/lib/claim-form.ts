import {
  minorUnitDigits,
  type SubmitClaimInput,
  SubmitClaimInputSchema,
} from "@claimwire/contracts";
import { z } from "zod";

export type ServiceLineValues = {
  /** Stable key for React while lines are added and removed. */
  key: number;
  code: string;
  serviceDate: string;
  quantity: string;
  unitAmount: string;
};

export type ClaimFormValues = {
  clinicReference: string;
  patientRef: string;
  policyNumber: string;
  currency: string;
  serviceLines: ServiceLineValues[];
  /** Optional: where the patient wants e-mail about this claim (kept at the clinic). */
  patientEmail: string;
  /** "": the clinic's default language. */
  patientLanguage: "" | PatientLanguage;
};

export type PatientLanguage = "en" | "ru";

/** What the clinic's `claims.submit` takes: the insurer's fields and the patient's contact. */
export type ClinicClaimInput = SubmitClaimInput & {
  patientContact?: { email: string; language?: PatientLanguage };
};

/** Messages keyed by the contract's field path: "clinicReference", "serviceLines.0.code". */
export type FieldErrors = Record<string, string>;

export type ClaimFormResult =
  | { ok: true; input: ClinicClaimInput }
  | { ok: false; errors: FieldErrors };

let nextKey = 1;

export function emptyServiceLine(today: string): ServiceLineValues {
  return { key: nextKey++, code: "", serviceDate: today, quantity: "1", unitAmount: "" };
}

export function emptyClaimForm(today: string): ClaimFormValues {
  return {
    clinicReference: "",
    patientRef: "",
    policyNumber: "",
    currency: "EUR",
    serviceLines: [emptyServiceLine(today)],
    patientEmail: "",
    patientLanguage: "",
  };
}

/**
 * Converts an amount typed by a person ("12.50", "12,5", "1200") into minor units, or null
 * when it is not a plain non-negative amount with at most the currency's decimals. Done on
 * the digits, never through floating point.
 */
export function toMinorUnits(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const match = /^(\d{1,12})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole = "0", fraction = ""] = match;
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
}

/**
 * The form as a SubmitClaimInput, validated by the contract the clinic and the insurer
 * validate with too, or one message per field. Amounts are typed in major units ("12.50").
 */
export function parseClaimForm(values: ClaimFormValues): ClaimFormResult {
  const errors: FieldErrors = {};
  const currency = values.currency.trim().toUpperCase();
  const lines = values.serviceLines.map((line, index) => {
    const quantityText = line.quantity.trim();
    const quantity = /^\d{1,6}$/.test(quantityText) ? Number(quantityText) : undefined;
    if (quantity === undefined)
      errors[`serviceLines.${index}.quantity`] = "must be a whole number like 1";
    const unitAmount = toMinorUnits(line.unitAmount, currency);
    if (unitAmount === null)
      errors[`serviceLines.${index}.unitAmount`] = "must be an amount like 12.50";
    return {
      code: line.code.trim().toUpperCase(),
      serviceDate: line.serviceDate.trim(),
      quantity: quantity ?? 1,
      unitAmount: unitAmount ?? 0,
    };
  });
  const result = SubmitClaimInputSchema.safeParse({
    clinicReference: values.clinicReference.trim(),
    patientRef: values.patientRef.trim(),
    policyNumber: values.policyNumber.trim().toUpperCase(),
    currency,
    serviceLines: lines,
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      errors[issue.path.map(String).join(".")] ??= issue.message;
    }
  }
  // The same check the clinic's API makes (z.email), so the message is the same too.
  const email = values.patientEmail.trim();
  if (email && !z.email().max(254).safeParse(email).success) {
    errors["patientContact.email"] = "must be an e-mail address like name@example.org";
  }
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  const patientContact = email
    ? { email, ...(values.patientLanguage ? { language: values.patientLanguage } : {}) }
    : undefined;
  return { ok: true, input: { ...result.data, ...(patientContact ? { patientContact } : {}) } };
}

/** The sentence above the form once fields are marked: "Please correct 3 fields marked below." */
export function errorSummary(errorCount: number): string {
  return `Please correct ${errorCount} field${errorCount === 1 ? "" : "s"} marked below.`;
}
