import type { inferRouterOutputs } from "@trpc/server";
import { useTranslation } from "react-i18next";
import { inboxStateLabel } from "../lib/inbox-state.ts";
import type { ClinicRouter } from "../trpc.ts";

type ListedMessage = inferRouterOutputs<ClinicRouter>["inbox"]["recent"][number];

/** An inbox message's event type with its webhook-id beneath, as the message tables show it. */
export function MessageEvent({
  message,
}: {
  message: Pick<ListedMessage, "eventType" | "webhookId">;
}) {
  return (
    <>
      {message.eventType}
      <br />
      <code className="muted">{message.webhookId}</code>
    </>
  );
}

/** What became of an inbox message: its state, failed attempts, error and note. */
export function MessageOutcome({
  message,
}: {
  message: Pick<ListedMessage, "state" | "attempts" | "error" | "note">;
}) {
  const { t } = useTranslation();
  return (
    <>
      {inboxStateLabel(message.state, t)}
      {message.attempts > 0 && t("inbox.failedAttempts", { count: message.attempts })}
      {message.error && <span className="error-text"> — {message.error}</span>}
      {message.note && <span className="muted"> — {message.note}</span>}
    </>
  );
}
