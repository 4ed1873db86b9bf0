import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link } from "wouter";
import { useClinicName } from "../clinic-names.ts";
import { DecisionForms } from "../components/decision-forms.tsx";
import { ActionResult, ErrorMessage, Loading } from "../components/feedback.tsx";
import { ClaimStatusBadge } from "../components/status-badge.tsx";
import { claimStatusLabel, formatDateTime, formatMoney, timeLeft } from "../format.ts";
import { paths } from "../paths.ts";
import { trpc } from "../trpc.ts";
import { useNow } from "../use-now.ts";

/** One claim and the decisions staff may take on it now (staff). */
export function ClaimDetailPage({ claimId }: { claimId: string }) {
  const queryClient = useQueryClient();
  const now = useNow();
  const clinicName = useClinicName();
  const claim = useQuery(trpc.claims.byId.queryOptions({ claimId }));
  const [moved, setMoved] = useState<string | null>(null);
  const movedRef = useRef<HTMLDivElement>(null);
  const decide = useMutation(
    trpc.claims.decide.mutationOptions({
      onMutate: () => setMoved(null),
      onSuccess: (updated) => {
        queryClient.setQueryData(trpc.claims.byId.queryKey({ claimId }), updated);
        void queryClient.invalidateQueries({ queryKey: trpc.claims.queue.pathKey() });
        setMoved(`Claim ${updated.clinicReference} is now ${claimStatusLabel(updated.status)}.`);
      },
    }),
  );

  // The form that was used went with the old status: keep keyboard users at the outcome.
  useEffect(() => {
    if (moved) movedRef.current?.focus();
  }, [moved]);

  return (
    <>
      <p className="breadcrumb">
        <Link href={paths.queue()}>Review queue</Link>
      </p>
      <h1>Claim {claim.data?.clinicReference ?? claimId}</h1>
      {claim.isPending ? <Loading what="the claim" /> : null}
      {claim.isError ? <ErrorMessage error={claim.error} /> : null}
      {claim.data ? (
        <>
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <ClaimStatusBadge status={claim.data.status} />
              </dd>
            </div>
            <div>
              <dt>Decision due</dt>
              <dd>
                {formatDateTime(claim.data.decisionDueAt)}
                {claim.data.decidedAt === null ? (
                  <> ({timeLeft(claim.data.decisionDueAt, now).text})</>
                ) : null}
              </dd>
            </div>
            <div>
              <dt>Total</dt>
              <dd>{formatMoney(claim.data.total)}</dd>
            </div>
            {claim.data.approvedAmount ? (
              <div>
                <dt>Approved</dt>
                <dd>{formatMoney(claim.data.approvedAmount)}</dd>
              </div>
            ) : null}
            {claim.data.reasonCodes.length > 0 ? (
              <div>
                <dt>Reason codes</dt>
                <dd>{claim.data.reasonCodes.join(", ")}</dd>
              </div>
            ) : null}
            {claim.data.paymentReference ? (
              <div>
                <dt>Payment reference</dt>
                <dd>{claim.data.paymentReference}</dd>
              </div>
            ) : null}
            <div>
              <dt>Clinic</dt>
              <dd>
                <Link href={paths.clinic(claim.data.clinicId)}>
                  {clinicName(claim.data.clinicId)}
                </Link>
              </dd>
            </div>
            <div>
              <dt>Patient</dt>
              <dd>{claim.data.patientRef}</dd>
            </div>
            <div>
              <dt>Policy</dt>
              <dd>{claim.data.policyNumber}</dd>
            </div>
            <div>
              <dt>Submitted</dt>
              <dd>{formatDateTime(claim.data.submittedAt)}</dd>
            </div>
            <div>
              <dt>Claim id</dt>
              <dd className="id">{claim.data.id}</dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>{claim.data.version}</dd>
            </div>
          </dl>

          <h2>Service lines</h2>
          <div className="table-wrap">
            <table className="cards-on-phone">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Date</th>
                  <th scope="col">Quantity</th>
                  <th scope="col">Unit amount</th>
                </tr>
              </thead>
              <tbody>
                {claim.data.serviceLines.map((line, index) => (
                  // Lines have no id; their order is fixed at submission.
                  <tr key={index}>
                    <td data-label="Code">{line.code}</td>
                    <td data-label="Date">{line.serviceDate}</td>
                    <td data-label="Quantity" className="number">
                      {line.quantity}
                    </td>
                    <td data-label="Unit amount" className="number">
                      {formatMoney({ amount: line.unitAmount, currency: claim.data.currency })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>Decision</h2>
          <ActionResult ref={movedRef}>{moved}</ActionResult>
          {decide.isError ? <ErrorMessage error={decide.error} /> : null}
          <DecisionForms
            claim={claim.data}
            decide={(input) => decide.mutate(input)}
            pending={decide.isPending}
          />
        </>
      ) : null}
    </>
  );
}
