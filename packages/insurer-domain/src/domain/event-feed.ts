import type { EventPage, FeedEvent, WebhookEventType } from "@claimwire/contracts";
import type { Store, Tables } from "@claimwire/insurer-db";
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
 * Order and cursor: `seq` is assigned inside the writing transaction, and appends to the
 * log commit one at a time (SQLite has one writer; on PostgreSQL they take a lock,
 * Store.appendingEvents), so seq order is commit order: a reader that has seen seq
 * n will never later find a newly committed event below n. The cursor is that position.
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
async function feedClinicId(
  store: Store,
  viewer: Principal,
  requested: string | undefined,
): Promise<string | null> {
  const notFound = () => new DomainError("NOT_FOUND", `No clinic with id '${requested}'`);
  if (viewer.role === "clinic") {
    if (requested !== undefined && requested !== viewer.clinicId) throw notFound();
    return viewer.clinicId;
  }
  if (requested === undefined) return null;
  const { clinics } = store.tables;
  const [found] = await store.db
    .select({ id: clinics.id })
    .from(clinics)
    .where(eq(clinics.id, requested));
  if (!found) throw notFound();
  return requested;
}

/** `types` as SQL: exact names, and `claim.*` as a prefix (no LIKE: `_` is a LIKE wildcard). */
function typeCondition(
  events: Tables["events"],
  types: readonly string[] | undefined,
): SQL | undefined {
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
async function readPage(
  services: Services,
  read: Read,
  now: number,
): Promise<EventPage & { position: number }> {
  const { db, tables } = services.store;
  const { events } = tables;
  const cutoff = new Date(now - services.feed.retentionMs).toISOString();
  const scope = read.clinicId === null ? undefined : eq(events.clinicId, read.clinicId);
  // The head before the page: every event up to the head has committed (seq order is
  // commit order), so the page read after it holds each of them that it should.
  const [newest] = await db
    .select({ seq: max(events.seq) })
    .from(events)
    .where(scope);
  const head = newest?.seq ?? 0;
  const rows = await db
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
        typeCondition(events, read.types),
      ),
    )
    .orderBy(asc(events.seq))
    .limit(read.limit + 1);
  const hasMore = rows.length > read.limit;
  const page = rows.slice(0, read.limit);
  const last = page.at(-1)?.seq ?? 0;
  const position = hasMore ? last : Math.max(read.afterSeq, head, last);
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
}

async function toRead(
  services: Services,
  viewer: Principal,
  query: ListEventsQuery,
): Promise<Read> {
  return {
    clinicId: await feedClinicId(services.store, viewer, query.clinicId),
    afterSeq: query.after === undefined ? 0 : decodeEventCursor(query.after),
    types: query.types,
    limit: query.limit,
  };
}

const withoutPosition = ({ position: _position, ...page }: EventPage & { position: number }) =>
  page;

/** `events.list`: the viewer's events after `after`, oldest first. */
export async function listEvents(
  services: Services,
  viewer: Principal,
  query: ListEventsQuery,
  now: number = Date.now(),
): Promise<EventPage> {
  return withoutPosition(await readPage(services, await toRead(services, viewer, query), now));
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
  const read = await toRead(services, viewer, query);
  let page = await readPage(services, read, Date.now());
  if (page.items.length > 0 || query.timeoutMs === 0) return withoutPosition(page);

  const waiter = services.feed.waiters.enter(read.clinicId);
  try {
    // Listening, then read again: a commit after this read wakes the wait below.
    await waiter.ready;
    page = await readPage(services, { ...read, afterSeq: page.position }, Date.now());
    if (page.items.length > 0) return withoutPosition(page);
    const deadline = Date.now() + query.timeoutMs;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const reason = await waiter.next(remaining, signal);
      if (reason !== "committed") break;
      // Continue from where the empty page left off (past events the filter skipped).
      page = await readPage(services, { ...read, afterSeq: page.position }, Date.now());
      if (page.items.length > 0) break;
    }
    return withoutPosition(page);
  } finally {
    waiter.leave();
  }
}

/**
 * `events.byId`: one event of the viewer's feed by its id (the `webhook-id` of its
 * webhooks), as the feed shows it. Another clinic's event, an unknown id and an event past
 * the retention window are all NOT_FOUND: the feed does not hold them for this viewer.
 */
export async function eventById(
  services: Services,
  viewer: Principal,
  eventId: string,
  now: number = Date.now(),
): Promise<FeedEvent> {
  const { db, tables } = services.store;
  const { events } = tables;
  const cutoff = new Date(now - services.feed.retentionMs).toISOString();
  const [row] = await db
    .select({
      id: events.id,
      type: events.type,
      payload: events.payload,
      committedAt: events.committedAt,
    })
    .from(events)
    .where(
      and(
        eq(events.id, eventId),
        viewer.role === "clinic" ? eq(events.clinicId, viewer.clinicId) : undefined,
        gte(events.committedAt, cutoff),
      ),
    );
  if (!row) throw new DomainError("NOT_FOUND", `No event with id '${eventId}'`);
  return { id: row.id, type: row.type, occurredAt: row.committedAt, data: row.payload };
}
