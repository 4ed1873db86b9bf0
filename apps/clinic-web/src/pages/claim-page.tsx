import { formatMoney } from "@claimwire/contracts";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "wouter";
import { MessageEvent, MessageOutcome } from "../components/inbox-message-cells.tsx";
import { LoadError, Loading } from "../components/query-state.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { formatUtc, statusLabel, timeLeftLabel } from "../lib/format.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

const LEARNED_FROM = {
  webhook: "webhook",
  feed: "event feed (reconciliation)",
  "submit response": "the insurer's answer to our submission",
} as const;

/** One claim: its summary, deadline, full status timeline, inbox messages and notifications. */
export function ClaimPage({ claimId }: { claimId: string }) {
  const trpc = useTRPC();
  const claim = useQuery(trpc.claims.byId.queryOptions({ claimId }));
  useTitle(claim.data ? `Claim ${claim.data.clinicReference} — Clinic` : "Claim — Clinic");

  if (claim.isPending) return <Loading what="the claim" />;
  if (claim.error) {
    return (
      <>
        <h1>Claim</h1>
        <LoadError error={claim.error} what="the claim" />
        <p>
          <Link href="/">Back to the claims</Link>
        </p>
      </>
    );
  }
  const c = claim.data;
  const money = (amount: number | null) =>
    amount === null ? "—" : formatMoney(amount, c.total.currency);

  return (
    <>
      <p>
        <Link href="/">← All claims</Link>
      </p>
      <div className="page-heading">
        <h1>Claim {c.clinicReference}</h1>
        <StatusBadge status={c.status} />
      </div>

      <dl className="facts">
        <div>
          <dt>Status</dt>
          <dd>
            {statusLabel(c.status)} (version {c.version})
          </dd>
        </div>
        <div>
          <dt>Total</dt>
          <dd>{money(c.total.amount)}</dd>
        </div>
        <div>
          <dt>Approved</dt>
          <dd>{money(c.approvedAmount)}</dd>
        </div>
        <div>
          <dt>Paid</dt>
          <dd>{money(c.paidAmount)}</dd>
        </div>
        <div>
          <dt>Decision due</dt>
          <dd data-testid="decision-deadline">
            {formatUtc(c.deadline.dueAt)} — {timeLeftLabel(c.deadline.businessDaysLeft)}
          </dd>
        </div>
        <div>
          <dt>Submitted</dt>
          <dd>{formatUtc(c.submittedAt)}</dd>
        </div>
        <div>
          <dt>Reason codes</dt>
          <dd>{c.reasonCodes.length > 0 ? c.reasonCodes.join(", ") : "—"}</dd>
        </div>
        <div>
          <dt>Payment reference</dt>
          <dd>{c.paymentReference ?? "—"}</dd>
        </div>
        <div>
          <dt>Patient reference</dt>
          <dd>{c.patientRef ?? "—"}</dd>
        </div>
        <div>
          <dt>Insurer claim id</dt>
          <dd>
            <code>{c.id}</code>
          </dd>
        </div>
      </dl>

      {c.patientPath && <PatientLink path={c.patientPath} />}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        <ol className="timeline">
          {c.timeline.map((entry) => (
            <li key={entry.version} data-testid="timeline-entry">
              <h3>
                <StatusBadge status={entry.status} />{" "}
                <span className="muted">v{entry.version}</span>
              </h3>
              <dl className="timeline-facts">
                <div>
                  <dt>Decided by the insurer</dt>
                  <dd>{formatUtc(entry.occurredAt)}</dd>
                </div>
                <div>
                  <dt>Webhook arrived</dt>
                  <dd>{entry.receivedAt ? formatUtc(entry.receivedAt) : "no webhook needed"}</dd>
                </div>
                <div>
                  <dt>Processed</dt>
                  <dd>{formatUtc(entry.processedAt)}</dd>
                </div>
                <div>
                  <dt>Deliveries</dt>
                  <dd>{entry.deliveries}</dd>
                </div>
                <div>
                  <dt>Learned from</dt>
                  <dd>{LEARNED_FROM[entry.learnedFrom]}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="messages-heading">
        <h2 id="messages-heading">Inbox messages</h2>
        <p className="muted">
          Every event about this claim the clinic received, including repeats and late ones that
          changed nothing. Deliveries count the POSTs we accepted with that webhook-id.
        </p>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Version</th>
                <th scope="col">Outcome</th>
                <th scope="col">Source</th>
                <th scope="col">Deliveries</th>
                <th scope="col">Received</th>
                <th scope="col">Processed</th>
              </tr>
            </thead>
            <tbody>
              {c.messages.map((message) => (
                <tr key={message.webhookId}>
                  <td data-label="Event">
                    <MessageEvent message={message} />
                  </td>
                  <td data-label="Version">{message.version}</td>
                  <td data-label="Outcome">
                    <MessageOutcome message={message} />
                  </td>
                  <td data-label="Source">{message.source}</td>
                  <td data-label="Deliveries">{message.deliveries}</td>
                  <td data-label="Received">{formatUtc(message.receivedAt)}</td>
                  <td data-label="Processed">{formatUtc(message.processedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">Patient notifications</h2>
        <p className="muted">
          Channel <strong>log</strong>: each status change records one notification in the clinic's
          notification log (its database and its log output).{" "}
          {c.patientContact
            ? `E-mails about the statuses that concern the patient go to ${c.patientContact.email} (${c.patientContact.language === "ru" ? "Russian" : "English"}) while the clinic's e-mail is configured.`
            : "The patient gave no e-mail address, so no e-mail is sent."}
        </p>
        {c.emails.length > 0 && (
          <ol className="notifications" aria-label="E-mails to the patient">
            {c.emails.map((e) => (
              <li key={e.version} data-testid="patient-email">
                <p>
                  E-mail about “{e.status}”: <strong>{emailStateText(e)}</strong>
                </p>
                {e.lastError && <p className="muted">Last error: {e.lastError}</p>}
              </li>
            ))}
          </ol>
        )}
        {c.notifications.length === 0 ? (
          <p>No notifications yet.</p>
        ) : (
          <ol className="notifications">
            {c.notifications.map((n) => (
              <li key={n.version} data-testid="patient-notification">
                <p>{n.message}</p>
                <p className="muted">
                  {formatUtc(n.createdAt)} · channel {n.channel} · version {n.version}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

/** The patient's status link, to give them (it is the only key to that page). */
function PatientLink({ path }: { path: string }) {
  const url = `${window.location.origin}${path}`;
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  }
  return (
    <section aria-labelledby="patient-link-heading" className="panel">
      <h2 id="patient-link-heading">Patient status page</h2>
      <p>
        Give this link to the patient: it shows this claim's status in plain words, nothing else.
        Anyone with the link can see it.
      </p>
      <p className="patient-link">
        <a href={path} target="_blank" rel="noreferrer" data-testid="patient-link">
          {url}
        </a>
      </p>
      <button type="button" className="button-secondary" onClick={() => void copy()}>
        Copy link
      </button>
      <span role="status" className="muted">
        {copied === "yes" ? " Copied." : copied === "no" ? " Copy failed; select the link." : ""}
      </span>
    </section>
  );
}

/** An e-mail's state in words staff can act on. */
function emailStateText(e: {
  state: string;
  attempts: number;
  nextAttemptAt: string;
  sentAt: string | null;
}): string {
  if (e.state === "sent") return `sent ${formatUtc(e.sentAt)}`;
  if (e.state === "failed") return `not delivered after ${e.attempts} attempt(s)`;
  return e.attempts === 0
    ? "being sent"
    : `${e.attempts} failed attempt(s); next try ${formatUtc(e.nextAttemptAt)}`;
}
