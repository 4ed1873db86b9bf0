import { useQuery, useQueryClient } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { useCallback, useRef } from "react";
import { formatLongDate } from "../lib/format.ts";
import { type PatientLiveState, usePatientLiveUpdates } from "../lib/use-patient-live-updates.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

/**
 * What a patient sees through their link: this one claim's status in plain words, when a
 * decision is due, and the steps so far. No amounts, codes or internal details.
 */
export function PatientPage({ token }: { token: string }) {
  useTitle("Your claim");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refetch = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: trpc.patient.status.queryKey({ token }) }),
    [queryClient, trpc, token],
  );
  const liveNow = useRef<PatientLiveState>("connecting");
  const claim = useQuery(
    trpc.patient.status.queryOptions(
      { token },
      // While the live connection is down, the page looks again every minute.
      { refetchInterval: () => (liveNow.current === "live" ? false : 60_000) },
    ),
  );
  // The clinic tells an open page about news at once (server-sent events). The stream is
  // opened only for a link that showed a claim: a wrong one never asks for it.
  const live = usePatientLiveUpdates(token, refetch, Boolean(claim.data));
  liveNow.current = live;

  return (
    <main id="main" className="patient-page">
      {claim.isPending && (
        <p className="muted" role="status">
          Loading your claim…
        </p>
      )}
      {(claim.error || claim.data === null) && (
        <>
          <h1>Your claim</h1>
          <p className="error-box" role="alert">
            {claim.data === null ||
            (isTRPCClientError(claim.error) && claim.error.data?.httpStatus === 400)
              ? "This link is not valid. Please check it, or ask your clinic for a new one."
              : "We could not load your claim just now. Please try again later."}
          </p>
        </>
      )}
      {claim.data && (
        <>
          <p className="muted">Claim {claim.data.clinicReference}</p>
          <h1 data-testid="patient-status">{claim.data.headline}</h1>
          <p className="patient-explanation">{claim.data.explanation}</p>
          {claim.data.decisionDue && (
            <p>
              Your insurer is due to decide by{" "}
              <strong>{formatLongDate(claim.data.decisionDue.dueAt)}</strong>
              {claim.data.decisionDue.businessDaysLeft > 0 &&
                ` (${claim.data.decisionDue.businessDaysLeft} working day${claim.data.decisionDue.businessDaysLeft === 1 ? "" : "s"} from now)`}
              .
            </p>
          )}
          <h2>What has happened so far</h2>
          <ol className="patient-updates">
            {claim.data.updates.map((update) => (
              <li key={`${update.at}-${update.status}`}>
                <span>{update.headline}</span>{" "}
                <span className="muted">{formatLongDate(update.at)}</span>
              </li>
            ))}
          </ol>
          <p className="muted">
            Last updated {formatLongDate(claim.data.updatedAt)}. Questions? Please contact your
            clinic.
          </p>
          <p className="muted" data-testid="patient-live">
            {live === "live"
              ? "This page updates by itself."
              : "This page checks for news every minute."}
          </p>
        </>
      )}
    </main>
  );
}
