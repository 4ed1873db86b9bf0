import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { MessageEvent, MessageOutcome } from "../components/inbox-message-cells.tsx";
import { LoadError, Loading } from "../components/query-state.tsx";
import { formatUtc } from "../lib/format.ts";
import { useTitle } from "../lib/use-title.ts";
import { useTRPC } from "../trpc.ts";

/**
 * The webhook inbox: the latest messages the clinic received (by webhook or from the
 * feed), with their event type and what became of each — an event type the clinic does
 * not know included, shown as ignored.
 */
export function InboxPage() {
  const { t } = useTranslation();
  useTitle(t("inbox.title"));
  const trpc = useTRPC();
  const messages = useQuery(trpc.inbox.recent.queryOptions());

  return (
    <>
      <h1>{t("inbox.heading")}</h1>
      <p className="muted">{t("inbox.about")}</p>
      {messages.isPending && <Loading what={t("inbox.loadingWhat")} />}
      {messages.error && <LoadError error={messages.error} what={t("inbox.loadingWhat")} />}
      {messages.data?.length === 0 && <p>{t("inbox.none")}</p>}
      {messages.data && messages.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t("inbox.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("inbox.event")}</th>
                <th scope="col">{t("inbox.state")}</th>
                <th scope="col">{t("inbox.claim")}</th>
                <th scope="col">{t("inbox.source")}</th>
                <th scope="col">{t("inbox.received")}</th>
                <th scope="col">{t("inbox.processed")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.data.map((message) => (
                <tr key={message.webhookId} data-testid="inbox-message">
                  <td data-label={t("inbox.event")}>
                    <MessageEvent message={message} />
                  </td>
                  <td data-label={t("inbox.state")}>
                    <MessageOutcome message={message} />
                  </td>
                  <td data-label={t("inbox.claim")}>
                    {message.claimId ? (
                      <Link href={`/claims/${message.claimId}`}>
                        {message.claimId} v{message.version}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-label={t("inbox.source")}>{message.source}</td>
                  <td data-label={t("inbox.received")}>{formatUtc(message.receivedAt)}</td>
                  <td data-label={t("inbox.processed")}>{formatUtc(message.processedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
