import type { ClinicDatabase, PatientLanguage } from "@claimwire/clinic-db";
import type { Claim } from "@claimwire/contracts";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import type { ClinicSubmitClaimInput } from "./clinic-submit-input.ts";
import { claimVersionFromClaim, recordClaimVersion } from "./record-claim-version.ts";

export type SubmitClaimDeps = {
  db: ClinicDatabase;
  client: Pick<ClinicInsurerApi, "claims">;
  clock: Clock;
  logger: Logger;
  /** The language of the patient's e-mails when the form did not choose one. */
  defaultLanguage: PatientLanguage;
  /** E-mail is on: the patient's e-mail about the submission goes in the outbox. */
  queuePatientEmail: boolean;
};

/**
 * Submits a claim to the insurer and stores what it returns (status submitted, version 1)
 * with its history row. The claim.submitted webhook may arrive before the response; then
 * the stored version is not lowered and the webhook is processed as a duplicate.
 * The patient's contact, if given, is stored with the claim and never sent to the insurer.
 * API errors (TRPCClientError) propagate to the caller.
 */
export async function submitClaim(
  { db, client, clock, logger, defaultLanguage, queuePatientEmail }: SubmitClaimDeps,
  { patientContact, ...submission }: ClinicSubmitClaimInput,
): Promise<Claim> {
  const claim = await client.claims.submit.mutate(submission);
  const now = new Date(clock.now()).toISOString();
  const contact = patientContact && {
    email: patientContact.email,
    language: patientContact.language ?? defaultLanguage,
  };
  const outcome = db.transaction((tx) =>
    recordClaimVersion(
      tx,
      { ...claimVersionFromClaim(claim), ...(contact ? { patientContact: contact } : {}) },
      { webhookId: null, now, queueEmail: queuePatientEmail },
    ),
  );
  logger.info(
    { claimId: claim.id, clinicReference: claim.clinicReference, version: claim.version },
    outcome.applied ? "claim submitted" : "claim submitted; a newer version was already stored",
  );
  if (outcome.applied) {
    logger.info(
      { claimId: claim.id, version: claim.version, channel: "log", message: outcome.notification },
      "patient notified",
    );
  }
  return claim;
}
