import { useQuery } from "@tanstack/react-query";
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
  useTitle("Inbox — Clinic");
  const trpc = useTRPC();
  const messages = useQuery(trpc.inbox.recent.queryOptions());

  return (
    <>
      <h1>Inbox</h1>
      <p className="muted">
        The latest messages the insurer sent, newest first. An event type this clinic does not know
        yet is accepted and kept, and marked ignored: the insurer adds types without notice.
      </p>
      {messages.isPending && <Loading what="the inbox" />}
      {messages.error && <LoadError error={messages.error} what="the inbox" />}
      {messages.data?.length === 0 && <p>No messages yet.</p>}
      {messages.data && messages.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Inbox messages, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col">Claim</th>
                <th scope="col">Source</th>
                <th scope="col">Received</th>
                <th scope="col">Processed</th>
              </tr>
            </thead>
            <tbody>
              {messages.data.map((message) => (
                <tr key={message.webhookId} data-testid="inbox-message">
                  <td data-label="Event">
                    <MessageEvent message={message} />
                  </td>
                  <td data-label="State">
                    <MessageOutcome message={message} />
                  </td>
                  <td data-label="Claim">
                    {message.claimId ? (
                      <Link href={`/claims/${message.claimId}`}>
                        {message.claimId} v{message.version}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td data-label="Source">{message.source}</td>
                  <td data-label="Received">{formatUtc(message.receivedAt)}</td>
                  <td data-label="Processed">{formatUtc(message.processedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
