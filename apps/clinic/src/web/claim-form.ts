import { type SubmitClaimInput, SubmitClaimInputSchema } from "@claimwire/contracts";
import { toMinorUnits } from "../money-format.ts";

/** The form's fields: one service line for now (several lines come with the React UI). */
export const CLAIM_FORM_FIELDS = [
  "clinicReference",
  "patientRef",
  "policyNumber",
  "currency",
  "code",
  "serviceDate",
  "quantity",
  "unitAmount",
] as const;
export type ClaimFormField = (typeof CLAIM_FORM_FIELDS)[number];
export type ClaimFormValues = Record<ClaimFormField, string>;
export type ClaimFormErrors = Partial<Record<ClaimFormField, string>>;

export type ClaimFormResult =
  | { ok: true; input: SubmitClaimInput }
  | { ok: false; errors: ClaimFormErrors };

/**
 * Turns the submitted form into a SubmitClaimInput, validated by the same schema the
 * insurer uses, or into one message per field. The unit amount is typed in major units
 * ("12.50") and converted to minor units (1250) here.
 */
export function parseClaimForm(values: ClaimFormValues): ClaimFormResult {
  const errors: ClaimFormErrors = {};
  const currency = values.currency.trim().toUpperCase();
  const quantityText = values.quantity.trim();
  const quantity = /^\d{1,6}$/.test(quantityText) ? Number(quantityText) : undefined;
  if (quantity === undefined) errors.quantity = "must be a whole number like 1";
  const unitAmount = toMinorUnits(values.unitAmount, currency);
  if (unitAmount === null) errors.unitAmount = "must be an amount like 12.50";

  const result = SubmitClaimInputSchema.safeParse({
    clinicReference: values.clinicReference.trim(),
    patientRef: values.patientRef.trim(),
    policyNumber: values.policyNumber.trim(),
    currency,
    serviceLines: [
      {
        code: values.code.trim(),
        serviceDate: values.serviceDate.trim(),
        quantity: quantity ?? 1,
        unitAmount: unitAmount ?? 0,
      },
    ],
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      // serviceLines.0.code → code; the form has exactly one line.
      const field = (
        issue.path[0] === "serviceLines" ? issue.path[2] : issue.path[0]
      ) as ClaimFormField;
      errors[field] ??= issue.message;
    }
  }
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: result.data };
}

/** Reads the form's fields from a parsed body; anything missing is an empty string. */
export function claimFormValues(body: Record<string, unknown>): ClaimFormValues {
  const entries = CLAIM_FORM_FIELDS.map((name) => {
    const value = body[name];
    return [name, typeof value === "string" ? value : ""] as const;
  });
  return Object.fromEntries(entries) as ClaimFormValues;
}
