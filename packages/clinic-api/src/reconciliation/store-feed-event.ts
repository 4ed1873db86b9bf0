import type { DbExecutor } from "@claimwire/clinic-db";
import { inbox } from "@claimwire/clinic-db";
import { isClaimEvent, readWebhookEvent } from "@claimwire/contracts";

/**
 * One entry of the insurer's event feed (`events.list`), as the clinic reads it. `data` is
 * the webhook body, read like one: it may be of a type this clinic does not know.
 */
export type FeedItem = { id: string; type: string; occurredAt: string; data: unknown };

/**
 * Stores a feed event in the inbox as the receiver stores a webhook
 * (receiver/webhook-receiver.ts): keyed by the event id, which is the `webhook-id` its
 * webhooks carry, so an event already received (or received later) is one message. The
 * processor then applies it like any webhook: version order, duplicates, gaps. What
 * differs is what only a webhook has: no signature (the feed is read over the
 * authenticated API) and `webhook_timestamp` is when it was fetched. Returns whether it
 * was new.
 */
export function storeFeedEvent(db: DbExecutor, item: FeedItem, now: number): boolean {
  // As the receiver: a type these contracts do not know is stored for the processor to
  // mark ignored; a body that is no valid event is kept, failed, where operators look,
  // instead of blocking the feed.
  const read = readWebhookEvent(item.data);
  const event = read.kind === "known" ? read.event : null;
  const claim = event && isClaimEvent(event) ? event.data : null;
  const stored = db
    .insert(inbox)
    .values({
      webhookId: item.id,
      eventType: event?.type ?? (read.kind === "unknown" ? read.type : item.type),
      // As the receiver does: an operational event has no claim (empty id, version 0).
      claimId: claim?.claimId ?? "",
      version: claim?.version ?? 0,
      body: JSON.stringify(item.data),
      webhookTimestamp: Math.floor(now / 1000),
      webhookSignature: "",
      receivedAt: new Date(now).toISOString(),
      source: "feed",
      // Not delivered as a webhook (yet): one arriving later counts as the first delivery.
      deliveries: 0,
      ...(read.kind === "invalid"
        ? {
            state: "failed" as const,
            processedAt: new Date(now).toISOString(),
            error: `feed event does not match the contract: ${read.problem}`.slice(0, 2_000),
          }
        : {}),
    })
    .onConflictDoNothing({ target: inbox.webhookId })
    .run();
  return stored.changes > 0;
}
