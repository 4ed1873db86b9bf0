import type { FeedEvent } from "@claimwire/contracts";
import { isInsurerApiError } from "../insurer-api-error.ts";
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
  try {
    return await client.events.byId.query({ eventId }, { signal });
  } catch (error) {
    // Another clinic's, unknown, past retention, or not an event id at all: not in the feed.
    if (
      isInsurerApiError(error) &&
      (error.data?.code === "NOT_FOUND" || error.data?.code === "BAD_REQUEST")
    ) {
      return null;
    }
    throw error;
  }
}
