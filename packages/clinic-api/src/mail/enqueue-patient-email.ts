import type { DbExecutor, PatientLanguage } from "@claimwire/clinic-db";
import { patientEmailOutbox } from "@claimwire/clinic-db";
import { isPatientEmailStatus } from "./patient-email.ts";

export type PatientEmailToQueue = {
  claimId: string;
  version: number;
  status: string;
  recipient: string;
  language: PatientLanguage;
  now: string;
};

/**
 * Puts the e-mail about one claim version in the clinic's outbox, in the caller's
 * transaction (the one that applies the status change). A status the patient is not
 * e-mailed about queues nothing; a second call for the same claim version is a no-op
 * (unique key on claim, version and channel), so an event applied twice e-mails once.
 * Returns whether a row was added.
 */
export function enqueuePatientEmail(db: DbExecutor, email: PatientEmailToQueue): boolean {
  if (!isPatientEmailStatus(email.status)) return false;
  const result = db
    .insert(patientEmailOutbox)
    .values({
      claimId: email.claimId,
      version: email.version,
      channel: "email",
      status: email.status,
      recipient: email.recipient,
      language: email.language,
      nextAttemptAt: email.now,
      createdAt: email.now,
    })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}
