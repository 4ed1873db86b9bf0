import type { FeedEvent } from "@claimwire/contracts";
import type { InsurerClient } from "../insurer-client.ts";
import { isTransientFailure } from "./feed-client.ts";

/** How long a long poll is held when nothing happens (the insurer's default, under proxies' 30 s). */
const WAIT_MS = 25_000;
/** Pauses between tries while the insurer cannot be reached: short at first, then every 5 s. */
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];

export type FollowFeedOptions = {
  /** Continue after this cursor; undefined: from the start of the feed. */
  after: string | undefined;
  signal: AbortSignal;
  /** Told once when the insurer stops answering, with the reason. */
  onOutage?: (error: unknown) => void;
  /** Told when it answers again after an outage. */
  onResumed?: () => void;
};

/**
 * The clinic's events in commit order, forever: long polls (`events.wait`) from a cursor,
 * and moves the cursor after each page. When the insurer restarts or the network drops,
 * it tries again with the same cursor until the insurer answers, so nothing committed
 * meanwhile is skipped. Ends when `signal` aborts; throws on a final refusal (the key was
 * revoked, the cursor is not one the API issued).
 *
 * @example
 * for await (const event of followFeed(client, { after: cursor, signal })) console.log(event.id);
 */
export async function* followFeed(
  client: InsurerClient,
  { after, signal, onOutage, onResumed }: FollowFeedOptions,
): AsyncGenerator<FeedEvent> {
  let cursor = after;
  let failures = 0;
  while (!signal.aborted) {
    let page: Awaited<ReturnType<InsurerClient["events"]["wait"]["query"]>>;
    try {
      page = await client.events.wait.query(
        { ...(cursor ? { after: cursor } : {}), limit: 100, timeoutMs: WAIT_MS },
        { signal },
      );
    } catch (error) {
      if (signal.aborted) return;
      if (!isTransientFailure(error)) throw error;
      if (failures === 0) onOutage?.(error);
      const delay = RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)] ?? 5_000;
      failures += 1;
      await pause(delay, signal);
      continue;
    }
    if (failures > 0) onResumed?.();
    failures = 0;
    for (const event of page.items) yield event;
    if (page.nextCursor) cursor = page.nextCursor;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
