import { randomBytes } from "node:crypto";
import { z } from "zod";

/**
 * The secret in a patient's status link (`/p/<token>`): 192 random bits, so it cannot be
 * guessed or enumerated; it names nothing about the claim or the patient.
 */
export function newPatientToken(): string {
  return randomBytes(24).toString("base64url");
}

/** What a patient link may carry (new tokens are base64url; ones from the migration are hex). */
export const PatientTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{32,64}$/, "is not a patient link token");
