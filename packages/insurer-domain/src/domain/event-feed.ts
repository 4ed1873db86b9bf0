import type { EventPage, FeedEvent, WebhookEventType } from "@claimwire/contracts";
import type { Db } from "@claimwire/insurer-db";
import { clinics, events } from "@claimwire/insurer-db";
import { and, asc, eq, gt, gte, inArray, max, or, type SQL, sql } from "drizzle-orm";
import type { Principal } from "./api-keys.ts";
import { DomainError } from "./domain-error.ts";
import { decodeEventCursor, encodeEventCursor } from "./event-cursor.ts";
import type { Services } from "./services.ts";

/**
 * The event feed: a clinic's events in commit order, for
 * polling (`events.list`), long polling (`events.wait`) and reconciliation after missed
 * webhooks. It reads the events table itself (the event log that is also the outbox),
 * so the feed holds exactly what was delivered, with the same event ids (`webhook-id`).
 *
 * Order and cursor: `seq` is assigned inside the writing transaction, and SQLite has one
 * writer at a time, so seq order is commit order: a reader that has seen seq n will never
 * later find a newly committed event below n. The cursor is that position.
 *
 * Retention: events committed more than `services.feed.retentionMs` ago
 * (EVENT_RETENTION_DAYS) are left out of the feed; the rows stay (docs/event-feed.md).
 */

export type ListEventsQuery = {
  after?: string | undefined;
  types?: readonly string[] | undefined;
  limit: number;
  clinicId?: string | undefined;
};

export type WaitEventsQuery = ListEventsQuery & { timeoutMs: number };

type Read = {
  /** One clinic's feed, or null for every clinic's (staff). */
  clinicId: string | null;
  afterSeq: number;
  types: readonly string[] | undefined;
  limit: number;
};

/**
 * Whose feed the viewer reads. A clinic reads its own; naming another clinic is NOT_FOUND
 * (as for claims and endpoints: existence is not revealed). Staff read one clinic's when
 * they name it, else every clinic's.
 */
function feedClinicId(db: Db, viewer: Principal, requested: string | undefined): string | null {
  const notFound = () => new DomainError("NOT_FOUND", `No clinic with id '${requested}'`);
  if (viewer.role === "clinic") {
    if (requested !== undefined && requested !== viewer.clinicId) throw notFound();
    return viewer.clinicId;
  }
  if (requested === undefined) return null;
  const found = db.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, requested)).get();
  if (!found) throw notFound();
  return requested;
}

/** `types` as SQL: exact names, and `claim.*` as a prefix (no LIKE: `_` is a LIKE wildcard). */
function typeCondition(types: readonly string[] | undefined): SQL | undefined {
  if (!types || types.includes("*")) return undefined;
  const exact = types.filter((t) => !t.endsWith(".*")) as WebhookEventType[];
  const prefixes = types.filter((t) => t.endsWith(".*")).map((t) => t.slice(0, -1));
  return or(
    exact.length > 0 ? inArray(events.type, exact) : undefined,
    ...prefixes.map((prefix) => sql`substr(${events.type}, 1, ${prefix.length}) = ${prefix}`),
  );
}

/**
 * One page after `afterSeq`, and the position to continue from. With more events waiting,
 * that is the page's last event; otherwise the newest event of the feed whatever its type,
 * so a filtered reader does not scan the same skipped events again on its next call.
 */
function readPage(services: Services, read: Read, now: number): EventPage & { position: number } {
  const cutoff = new Date(now - services.feed.retentionMs).toISOString();
  const scope = read.clinicId === null ? undefined : eq(events.clinicId, read.clinicId);
  // One read transaction: the page and the head come from the same snapshot.
  return services.db.transaction((tx) => {
    const rows = tx
      .select({
        seq: events.seq,
        id: events.id,
        type: events.type,
        payload: events.payload,
        committedAt: events.committedAt,
      })
      .from(events)
      .where(
        and(
          gt(events.seq, read.afterSeq),
          scope,
          gte(events.committedAt, cutoff),
          typeCondition(read.types),
        ),
      )
      .orderBy(asc(events.seq))
      .limit(read.limit + 1)
      .all();
    const hasMore = rows.length > read.limit;
    const page = rows.slice(0, read.limit);
    const head =
      tx
        .select({ seq: max(events.seq) })
        .from(events)
        .where(scope)
        .get()?.seq ?? 0;
    const position = hasMore ? page.at(-1)!.seq : Math.max(read.afterSeq, head);
    const items: FeedEvent[] = page.map((row) => ({
      id: row.id,
      type: row.type,
      occurredAt: row.committedAt,
      data: row.payload,
    }));
    return {
      items,
      nextCursor: position > 0 ? encodeEventCursor(position) : null,
      hasMore,
      position,
    };
  });
}

function toRead(services: Services, viewer: Principal, query: ListEventsQuery): Read {
  return {
    clinicId: feedClinicId(services.db, viewer, query.clinicId),
    afterSeq: query.after === undefined ? 0 : decodeEventCursor(query.after),
    types: query.types,
    limit: query.limit,
  };
}

const withoutPosition = ({ position: _position, ...page }: EventPage & { position: number }) =>
  page;

/** `events.list`: the viewer's events after `after`, oldest first. */
export function listEvents(
  services: Services,
  viewer: Principal,
  query: ListEventsQuery,
  now: number = Date.now(),
): EventPage {
  return withoutPosition(readPage(services, toRead(services, viewer, query), now));
}

/**
 * `events.wait`: like `listEvents`, but when nothing newer than `after` exists yet it
 * holds the call until an event of the feed is committed (woken in-process by the
 * commit, see feed-waiters.ts) or `timeoutMs` passes, and then answers with the page,
 * empty on a timeout, and the cursor to use next. `signal` (the HTTP request's) ends the
 * wait early when the client goes away.
 */
export async function waitForEvents(
  services: Services,
  viewer: Principal,
  query: WaitEventsQuery,
  signal?: AbortSignal,
): Promise<EventPage> {
  const read = toRead(services, viewer, query);
  let page = readPage(services, read, Date.now());
  if (page.items.length > 0 || query.timeoutMs === 0) return withoutPosition(page);

  const waiter = services.feed.waiters.enter(read.clinicId);
  try {
    const deadline = Date.now() + query.timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      // No await between the read above and this call: a commit after the read wakes us.
      const reason = await waiter.next(remaining, signal);
      if (reason !== "committed") break;
      // Continue from where the empty page left off (past events the filter skipped).
      page = readPage(services, { ...read, afterSeq: page.position }, Date.now());
      if (page.items.length > 0) break;
    }
  } finally {
    waiter.leave();
  }
  return withoutPosition(page);
}
