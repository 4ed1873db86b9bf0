import { PATIENT_LANGUAGES } from "@claimwire/clinic-db";
import { SubmitClaimInputSchema } from "@claimwire/contracts";
import { z } from "zod";

/**
 * Where the patient wants e-mails about this claim, given by clinic staff with the claim.
 * It stays at the clinic: `submitClaim` sends the insurer only the contract's fields.
 */
export const PatientContactInputSchema = z.object({
  email: z.email({ error: "must be an e-mail address like name@example.org" }).max(254),
  /** Absent: the clinic's CLINIC_DEFAULT_LANGUAGE. */
  language: z.enum(PATIENT_LANGUAGES).optional(),
});

/** The clinic's claim form: the insurer's submission, and optionally the patient's contact. */
export const ClinicSubmitClaimInputSchema = SubmitClaimInputSchema.extend({
  patientContact: PatientContactInputSchema.optional(),
});
export type ClinicSubmitClaimInput = z.infer<typeof ClinicSubmitClaimInputSchema>;
