import { formatMoney } from "@claimwire/contracts";
import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { QuarantinePanel } from "../components/quarantine-panel.tsx";
import { LoadError, Loading } from "../components/query-state.tsx";
import { ReconciliationStatus } from "../components/reconciliation-status.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { formatUtc, timeLeftLabel } from "../lib/format.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

/** The clinic's claims, kept current live as webhooks are processed. */
export function ClaimsPage() {
  useTitle("Claims — Clinic");
  const trpc = useTRPC();
  const claims = useQuery(trpc.claims.list.queryOptions());

  return (
    <>
      <div className="page-heading">
        <h1>Claims</h1>
        <Link href="/claims/new" className="button">
          New claim
        </Link>
      </div>
      <ReconciliationStatus />
      {claims.isPending && <Loading what="claims" />}
      {claims.error && <LoadError error={claims.error} what="claims" />}
      {claims.data?.length === 0 && (
        <p>
          No claims yet. <Link href="/claims/new">Submit the first one.</Link>
        </p>
      )}
      {claims.data && claims.data.length > 0 && (
        <table className="claims-table">
          <caption className="visually-hidden">
            Claims, most recently changed first; statuses update live
          </caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
              <th scope="col">Decision due</th>
              <th scope="col">Time left</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {claims.data.map((claim) => (
              <tr key={claim.id} data-testid="claim-row">
                <th scope="row" data-label="Reference">
                  <Link href={`/claims/${claim.id}`}>{claim.clinicReference}</Link>
                </th>
                <td data-label="Status">
                  <StatusBadge status={claim.status} />
                </td>
                <td data-label="Total">{formatMoney(claim.total.amount, claim.total.currency)}</td>
                <td data-label="Decision due">{formatUtc(claim.deadline.dueAt).slice(0, 10)}</td>
                <td
                  data-label="Time left"
                  className={
                    claim.deadline.businessDaysLeft !== null && claim.deadline.businessDaysLeft < 0
                      ? "overdue"
                      : undefined
                  }
                >
                  {timeLeftLabel(claim.deadline.businessDaysLeft)}
                </td>
                <td data-label="Updated">{formatUtc(claim.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <QuarantinePanel />
    </>
  );
}
