import type { DbExecutor } from "@claimwire/clinic-db";
import { inbox } from "@claimwire/clinic-db";
import { isClaimEvent, type WebhookEvent, WebhookEventSchema } from "@claimwire/contracts";

/** One entry of the insurer's event feed (`events.list`), as the clinic reads it. */
export type FeedItem = { id: string; type: string; occurredAt: string; data: WebhookEvent };

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
  // The receiver accepts only bodies its contracts parse; so does the feed's reader.
  // Anything else is kept, failed, where operators look, instead of blocking the feed.
  const parsed = WebhookEventSchema.safeParse(item.data);
  const event = parsed.success ? parsed.data : null;
  const claim = event && isClaimEvent(event) ? event.data : null;
  const stored = db
    .insert(inbox)
    .values({
      webhookId: item.id,
      eventType: event?.type ?? item.type,
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
      ...(parsed.success
        ? {}
        : {
            state: "failed" as const,
            processedAt: new Date(now).toISOString(),
            error: `feed event does not match the contract: ${parsed.error.message}`.slice(
              0,
              2_000,
            ),
          }),
    })
    .onConflictDoNothing({ target: inbox.webhookId })
    .run();
  return stored.changes > 0;
}
