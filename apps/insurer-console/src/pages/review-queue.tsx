import { useQuery } from "@tanstack/react-query";
import { Link } from "wouter";
import { useClinicName } from "../clinic-names.ts";
import { ErrorMessage, Loading } from "../components/feedback.tsx";
import { ClaimStatusBadge } from "../components/status-badge.tsx";
import { formatDateTime, formatMoney, plural, timeLeft } from "../format.ts";
import { paths } from "../paths.ts";
import { trpc } from "../trpc.ts";
import { useNow } from "../use-now.ts";

const QUEUE_LIMIT = 200;

/** Open claims, earliest decision deadline first (staff). */
export function ReviewQueuePage() {
  const now = useNow();
  const clinicName = useClinicName();
  const queue = useQuery(
    trpc.claims.queue.queryOptions({ limit: QUEUE_LIMIT }, { refetchInterval: 10_000 }),
  );
  return (
    <>
      <h1>Review queue</h1>
      {queue.isPending ? <Loading what="the review queue" /> : null}
      {queue.isError ? <ErrorMessage error={queue.error} /> : null}
      {queue.data && queue.data.length === 0 ? <p>No open claims. The queue is empty.</p> : null}
      {queue.data && queue.data.length > 0 ? (
        <div className="table-wrap">
          <table className="cards-on-phone">
            <caption>
              {queue.data.length === QUEUE_LIMIT
                ? `The first ${QUEUE_LIMIT} open claims`
                : plural(queue.data.length, "open claim")}
              , earliest deadline first
            </caption>
            <thead>
              <tr>
                <th scope="col">Time left</th>
                <th scope="col">Claim</th>
                <th scope="col">Status</th>
                <th scope="col">Total</th>
                <th scope="col">Clinic</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.map((claim) => {
                const left = timeLeft(claim.decisionDueAt, now);
                return (
                  <tr key={claim.id}>
                    <td data-label="Time left" className={left.overdue ? "overdue" : undefined}>
                      <time
                        dateTime={claim.decisionDueAt}
                        title={formatDateTime(claim.decisionDueAt)}
                      >
                        {left.text}
                      </time>
                    </td>
                    <td data-label="Claim" className="wide">
                      <Link href={paths.claim(claim.id)}>{claim.clinicReference}</Link>
                      <div className="id">{claim.id}</div>
                    </td>
                    <td data-label="Status">
                      <ClaimStatusBadge status={claim.status} />
                    </td>
                    <td data-label="Total" className="number">
                      {formatMoney(claim.total)}
                    </td>
                    <td data-label="Clinic" className="wide">
                      <Link href={paths.clinic(claim.clinicId)}>{clinicName(claim.clinicId)}</Link>
                    </td>
                    <td data-label="Submitted">{formatDateTime(claim.submittedAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
