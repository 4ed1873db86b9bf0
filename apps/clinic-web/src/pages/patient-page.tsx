import { useQuery } from "@tanstack/react-query";
import { isTRPCClientError } from "@trpc/client";
import { formatLongDate } from "../lib/format.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

/**
 * What a patient sees through their link: this one claim's status in plain words, when a
 * decision is due, and the steps so far. No amounts, codes or internal details.
 */
export function PatientPage({ token }: { token: string }) {
  useTitle("Your claim");
  const trpc = useTRPC();
  // A patient keeps the page open to wait for news: look again every minute.
  const claim = useQuery(trpc.patient.status.queryOptions({ token }, { refetchInterval: 60_000 }));

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
        </>
      )}
    </main>
  );
}
