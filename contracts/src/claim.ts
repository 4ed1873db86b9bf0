import { z } from "zod";
import { ClaimStatusSchema } from "./claim-status.ts";
import { ClaimIdSchema, ClinicIdSchema } from "./ids.ts";
import { CurrencySchema, MinorUnitsSchema, MoneySchema } from "./money.ts";

/** The clinic's own reference for a claim; a resubmission with the same one is idempotent. */
export const ClinicReferenceSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1–64 letters, digits, '.', '_' or '-'");

/**
 * A pseudonymous patient reference (the clinic's token for the patient). Never a name,
 * birth date or diagnosis: payloads must not carry clinical or identifying data.
 */
export const PatientRefSchema = z
  .string()
  .regex(/^pat_[A-Za-z0-9]{6,48}$/, "must be a pseudonymous token like 'pat_8f3k2m9x', not a name");

export const PolicyNumberSchema = z
  .string()
  .regex(/^[A-Z0-9-]{4,32}$/, "must be 4–32 capital letters, digits or '-'");

/** Reason codes explain a decision or a request for information without clinical detail. */
export const ReasonCodeSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{1,39}$/, "must be an upper-case code like 'MISSING_REFERRAL'");

export const IsoDateSchema = z.iso.date();
export const TimestampSchema = z.iso.datetime();

export const ServiceLineSchema = z.object({
  /** Procedure/tariff code (e.g. a CPT or national tariff code). */
  code: z.string().regex(/^[A-Z0-9.]{2,16}$/, "must be a procedure code like '99213'"),
  serviceDate: IsoDateSchema,
  quantity: z.number().int().min(1).max(999),
  unitAmount: MinorUnitsSchema,
});
export type ServiceLine = z.infer<typeof ServiceLineSchema>;

export const ClaimSchema = z.object({
  id: ClaimIdSchema,
  clinicId: ClinicIdSchema,
  clinicReference: ClinicReferenceSchema,
  patientRef: PatientRefSchema,
  policyNumber: PolicyNumberSchema,
  currency: CurrencySchema,
  serviceLines: z.array(ServiceLineSchema).min(1),
  total: MoneySchema,
  status: ClaimStatusSchema,
  /** Increases by one with every status change; 1 on submission. */
  version: z.number().int().min(1),
  submittedAt: TimestampSchema,
  decisionDueAt: TimestampSchema,
  decidedAt: TimestampSchema.nullable(),
  approvedAmount: MoneySchema.nullable(),
  reasonCodes: z.array(ReasonCodeSchema),
  paymentReference: z.string().nullable(),
  updatedAt: TimestampSchema,
});
export type Claim = z.infer<typeof ClaimSchema>;

/** Sum of quantity × unit amount over the service lines, in minor units. */
export function claimTotal(lines: readonly ServiceLine[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitAmount, 0);
}
