import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Trans, useTranslation } from "react-i18next";
import { Link } from "wouter";
import { formatUtc } from "../lib/format.ts";
import { useTRPC } from "../trpc.ts";
import { LoadError } from "./query-state.tsx";

/**
 * Inbox messages whose processing failed. Each is retried a few times; one that keeps
 * failing is quarantined here with its error, and the messages behind it go on.
 */
export function QuarantinePanel() {
  const trpc = useTRPC();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const problems = useQuery(trpc.inbox.quarantined.queryOptions());
  const requeue = useMutation(
    trpc.inbox.requeue.mutationOptions({
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.inbox.quarantined.queryKey() }),
    }),
  );

  return (
    <section aria-labelledby="quarantine-heading" className="panel">
      <h2 id="quarantine-heading">{t("quarantine.heading")}</h2>
      <p className="muted">{t("quarantine.about")}</p>
      {problems.error && <LoadError error={problems.error} what={t("common.theQuarantine")} />}
      {problems.data?.length === 0 && <p>{t("quarantine.none")}</p>}
      {problems.data && problems.data.length > 0 && (
        <ul className="problem-list">
          {problems.data.map((message) => (
            <li key={message.webhookId} className="problem" data-testid="quarantined-message">
              <p className="problem-title">
                <strong>{t(`quarantine.${message.state}`)}</strong> · {message.eventType}
                {message.claimId && (
                  <>
                    {" "}
                    <Trans
                      i18nKey="quarantine.forClaim"
                      values={{ claimId: message.claimId, version: message.version }}
                      components={{ claimLink: <Link href={`/claims/${message.claimId}`} /> }}
                    />
                  </>
                )}
              </p>
              <p className="error-text">{t("quarantine.error", { error: message.error })}</p>
              <p className="muted">
                {t("quarantine.details", {
                  webhookId: message.webhookId,
                  source: message.source,
                  at: formatUtc(message.receivedAt),
                  count: message.attempts,
                })}
                {message.retryAt && t("quarantine.nextTry", { at: formatUtc(message.retryAt) })}
              </p>
              {message.state === "quarantined" && (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={requeue.isPending}
                  onClick={() => requeue.mutate({ webhookId: message.webhookId })}
                  aria-label={t("quarantine.retryLabel", { webhookId: message.webhookId })}
                >
                  {t("quarantine.retry")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {requeue.error && (
        <p className="error-text" role="alert">
          {requeue.error.message}
        </p>
      )}
    </section>
  );
}
