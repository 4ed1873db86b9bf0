import type { ClinicDatabase } from "@claimwire/clinic-db";
import type { Claim, SubmitClaimInput } from "@claimwire/contracts";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import { claimVersionFromClaim, recordClaimVersion } from "./record-claim-version.ts";

export type SubmitClaimDeps = {
  db: ClinicDatabase;
  client: Pick<ClinicInsurerApi, "claims">;
  clock: Clock;
  logger: Logger;
};

/**
 * Submits a claim to the insurer and stores what it returns (status submitted, version 1)
 * with its history row. The claim.submitted webhook may arrive before the response; then
 * the stored version is not lowered and the webhook is processed as a duplicate.
 * API errors (TRPCClientError) propagate to the caller.
 */
export async function submitClaim(
  { db, client, clock, logger }: SubmitClaimDeps,
  input: SubmitClaimInput,
): Promise<Claim> {
  const claim = await client.claims.submit.mutate(input);
  const now = new Date(clock.now()).toISOString();
  const outcome = db.transaction((tx) =>
    recordClaimVersion(tx, claimVersionFromClaim(claim), { webhookId: null, now }),
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
