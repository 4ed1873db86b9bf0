import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "wouter";
import { MessageEvent, MessageOutcome } from "../components/inbox-message-cells.tsx";
import { LoadError, Loading } from "../components/query-state.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { formatAmount, formatUtc, statusLabel, timeLeftLabel } from "../lib/format.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

const LEARNED_FROM = {
  webhook: "claim.fromWebhook",
  feed: "claim.fromFeed",
  "submit response": "claim.fromSubmit",
} as const;

/** One claim: its summary, deadline, full status timeline, inbox messages and notifications. */
export function ClaimPage({ claimId }: { claimId: string }) {
  const trpc = useTRPC();
  const { t, i18n } = useTranslation();
  const claim = useQuery(trpc.claims.byId.queryOptions({ claimId }));
  useTitle(
    claim.data
      ? t("claim.title", { reference: claim.data.clinicReference })
      : t("claim.titleLoading"),
  );

  if (claim.isPending) return <Loading what={t("claim.loadingWhat")} />;
  if (claim.error) {
    return (
      <>
        <h1>{t("claim.heading")}</h1>
        <LoadError error={claim.error} what={t("claim.loadingWhat")} />
        <p>
          <Link href="/">{t("claim.back")}</Link>
        </p>
      </>
    );
  }
  const c = claim.data;
  const money = (amount: number | null) =>
    amount === null ? "—" : formatAmount(amount, c.total.currency, i18n.language);

  return (
    <>
      <p>
        <Link href="/">{t("claim.allClaims")}</Link>
      </p>
      <div className="page-heading">
        <h1>{t("claim.headingRef", { reference: c.clinicReference })}</h1>
        <StatusBadge status={c.status} />
      </div>

      <dl className="facts">
        <div>
          <dt>{t("claim.status")}</dt>
          <dd>
            {t("claim.statusVersion", { status: statusLabel(c.status, t), version: c.version })}
          </dd>
        </div>
        <div>
          <dt>{t("claim.total")}</dt>
          <dd>{money(c.total.amount)}</dd>
        </div>
        <div>
          <dt>{t("claim.approved")}</dt>
          <dd>{money(c.approvedAmount)}</dd>
        </div>
        <div>
          <dt>{t("claim.paid")}</dt>
          <dd>{money(c.paidAmount)}</dd>
        </div>
        <div>
          <dt>{t("claim.due")}</dt>
          <dd data-testid="decision-deadline">
            {formatUtc(c.deadline.dueAt)} — {timeLeftLabel(c.deadline.businessDaysLeft, t)}
          </dd>
        </div>
        <div>
          <dt>{t("claim.submitted")}</dt>
          <dd>{formatUtc(c.submittedAt)}</dd>
        </div>
        <div>
          <dt>{t("claim.reasonCodes")}</dt>
          <dd>{c.reasonCodes.length > 0 ? c.reasonCodes.join(", ") : "—"}</dd>
        </div>
        <div>
          <dt>{t("claim.paymentReference")}</dt>
          <dd>{c.paymentReference ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("claim.patientRef")}</dt>
          <dd>{c.patientRef ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("claim.insurerId")}</dt>
          <dd>
            <code>{c.id}</code>
          </dd>
        </div>
      </dl>

      {c.patientPath && <PatientLink path={c.patientPath} />}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t("claim.timeline")}</h2>
        <ol className="timeline">
          {c.timeline.map((entry) => (
            <li key={entry.version} data-testid="timeline-entry">
              <h3>
                <StatusBadge status={entry.status} />{" "}
                <span className="muted">v{entry.version}</span>
              </h3>
              <dl className="timeline-facts">
                <div>
                  <dt>{t("claim.decidedAt")}</dt>
                  <dd>{formatUtc(entry.occurredAt)}</dd>
                </div>
                <div>
                  <dt>{t("claim.webhookArrived")}</dt>
                  <dd>{entry.receivedAt ? formatUtc(entry.receivedAt) : t("claim.noWebhook")}</dd>
                </div>
                <div>
                  <dt>{t("claim.processed")}</dt>
                  <dd>{formatUtc(entry.processedAt)}</dd>
                </div>
                <div>
                  <dt>{t("claim.deliveries")}</dt>
                  <dd>{entry.deliveries}</dd>
                </div>
                <div>
                  <dt>{t("claim.learnedFrom")}</dt>
                  <dd>{t(LEARNED_FROM[entry.learnedFrom])}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="messages-heading">
        <h2 id="messages-heading">{t("claim.messages")}</h2>
        <p className="muted">{t("claim.messagesAbout")}</p>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("claim.event")}</th>
                <th scope="col">{t("claim.version")}</th>
                <th scope="col">{t("claim.outcome")}</th>
                <th scope="col">{t("claim.source")}</th>
                <th scope="col">{t("claim.deliveries")}</th>
                <th scope="col">{t("claim.received")}</th>
                <th scope="col">{t("claim.processed")}</th>
              </tr>
            </thead>
            <tbody>
              {c.messages.map((message) => (
                <tr key={message.webhookId}>
                  <td data-label={t("claim.event")}>
                    <MessageEvent message={message} />
                  </td>
                  <td data-label={t("claim.version")}>{message.version}</td>
                  <td data-label={t("claim.outcome")}>
                    <MessageOutcome message={message} />
                  </td>
                  <td data-label={t("claim.source")}>{message.source}</td>
                  <td data-label={t("claim.deliveries")}>{message.deliveries}</td>
                  <td data-label={t("claim.received")}>{formatUtc(message.receivedAt)}</td>
                  <td data-label={t("claim.processed")}>{formatUtc(message.processedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">{t("claim.notifications")}</h2>
        <p className="muted">
          <Trans i18nKey="claim.channelLog" components={{ strong: <strong /> }} />{" "}
          {c.patientContact
            ? t("claim.emailsTo", {
                email: c.patientContact.email,
                language: t(c.patientContact.language === "ru" ? "claim.langRu" : "claim.langEn"),
              })
            : t("claim.noEmail")}
        </p>
        {c.emails.length > 0 && (
          <ol className="notifications" aria-label={t("claim.emailsLabel")}>
            {c.emails.map((e) => (
              <li key={e.version} data-testid="patient-email">
                <p>
                  <Trans
                    i18nKey="claim.emailAbout"
                    values={{ status: statusLabel(e.status, t), state: emailStateText(e, t) }}
                    components={{ strong: <strong /> }}
                  />
                </p>
                {e.lastError && (
                  <p className="muted">{t("claim.emailLastError", { error: e.lastError })}</p>
                )}
              </li>
            ))}
          </ol>
        )}
        {c.notifications.length === 0 ? (
          <p>{t("claim.noNotifications")}</p>
        ) : (
          <ol className="notifications">
            {c.notifications.map((n) => (
              <li key={n.version} data-testid="patient-notification">
                <p>{n.message}</p>
                <p className="muted">
                  {t("claim.notificationMeta", {
                    at: formatUtc(n.createdAt),
                    channel: n.channel,
                    version: n.version,
                  })}
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
  const { t } = useTranslation();
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
      <h2 id="patient-link-heading">{t("claim.patientLinkHeading")}</h2>
      <p>{t("claim.patientLinkAbout")}</p>
      <p className="patient-link">
        <a href={path} target="_blank" rel="noreferrer" data-testid="patient-link">
          {url}
        </a>
      </p>
      <button type="button" className="button-secondary" onClick={() => void copy()}>
        {t("claim.copy")}
      </button>
      <span role="status" className="muted">
        {copied === "yes" ? t("claim.copied") : copied === "no" ? t("claim.copyFailed") : ""}
      </span>
    </section>
  );
}

/** An e-mail's state in words staff can act on. */
function emailStateText(
  e: { state: string; attempts: number; nextAttemptAt: string; sentAt: string | null },
  t: TFunction,
): string {
  if (e.state === "sent") return t("claim.emailSent", { at: formatUtc(e.sentAt) });
  if (e.state === "failed") return t("claim.emailFailed", { count: e.attempts });
  return e.attempts === 0
    ? t("claim.emailSending")
    : t("claim.emailRetrying", { count: e.attempts, at: formatUtc(e.nextAttemptAt) });
}
