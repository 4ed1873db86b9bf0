import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "wouter";
import { formatUtc } from "../lib/format.ts";
import { useTRPC } from "../trpc.ts";
import { LoadError } from "./query-state.tsx";

const STATE_LABEL = {
  quarantined: "Quarantined",
  failed: "Refused",
  retrying: "Retrying",
} as const;

/**
 * Inbox messages whose processing failed. Each is retried a few times; one that keeps
 * failing is quarantined here with its error, and the messages behind it go on.
 */
export function QuarantinePanel() {
  const trpc = useTRPC();
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
      <h2 id="quarantine-heading">Quarantined messages</h2>
      <p className="muted">
        A webhook whose processing throws is retried after 1 s, 5 s and 30 s, then quarantined here.
        It does not hold up other claims; later versions of its own claim wait for it up to the gap
        limit, then apply.
      </p>
      {problems.error && <LoadError error={problems.error} what="the quarantine" />}
      {problems.data?.length === 0 && <p>No messages in quarantine.</p>}
      {problems.data && problems.data.length > 0 && (
        <ul className="problem-list">
          {problems.data.map((message) => (
            <li key={message.webhookId} className="problem" data-testid="quarantined-message">
              <p className="problem-title">
                <strong>{STATE_LABEL[message.state]}</strong> · {message.eventType}
                {message.claimId && (
                  <>
                    {" "}
                    for <Link href={`/claims/${message.claimId}`}>claim {message.claimId}</Link>{" "}
                    version {message.version}
                  </>
                )}
              </p>
              <p className="error-text">Error: {message.error}</p>
              <p className="muted">
                webhook-id <code>{message.webhookId}</code> · from {message.source} · received{" "}
                {formatUtc(message.receivedAt)} · {message.attempts} attempt
                {message.attempts === 1 ? "" : "s"}
                {message.retryAt && <> · next try {formatUtc(message.retryAt)}</>}
              </p>
              {message.state === "quarantined" && (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={requeue.isPending}
                  onClick={() => requeue.mutate({ webhookId: message.webhookId })}
                  aria-label={`Retry message ${message.webhookId}`}
                >
                  Retry
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
