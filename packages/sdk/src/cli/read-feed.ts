import type { FeedEvent } from "@claimwire/contracts";
import type { InsurerClient } from "../insurer-client.ts";

/**
 * The cursor of the newest event in the clinic's feed now ("start from now"), or undefined
 * when the feed is empty. The feed has no "latest" call, but a page that ends the feed
 * carries the newest event's cursor whatever its type (docs/event-feed.md, "The cursor"):
 * read with the `webhook.test` filter, a type the listener never forwards and only
 * `endpoints.sendTest` writes, that is one call however long the feed is, where every
 * type would page through all of it.
 */
export async function feedHead(
  client: InsurerClient,
  signal: AbortSignal,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (;;) {
    const page = await client.events.list.query(
      { ...(cursor ? { after: cursor } : {}), types: ["webhook.test"], limit: 500 },
      { signal },
    );
    if (page.nextCursor) cursor = page.nextCursor;
    if (!page.hasMore) return cursor;
  }
}

/** The event with `eventId` in the clinic's feed (within the insurer's retention), or null. */
export async function findEvent(
  client: InsurerClient,
  eventId: string,
  signal: AbortSignal,
): Promise<FeedEvent | null> {
  let cursor: string | undefined;
  for (;;) {
    const page = await client.events.list.query(
      { ...(cursor ? { after: cursor } : {}), limit: 500 },
      { signal },
    );
    const found = page.items.find((event) => event.id === eventId);
    if (found) return found;
    if (!page.hasMore || !page.nextCursor) return null;
    cursor = page.nextCursor;
  }
}
