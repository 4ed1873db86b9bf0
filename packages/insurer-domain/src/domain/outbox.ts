import { isClaimEvent, type WebhookEvent } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { type Db, preparedStatement, type Store } from "@claimwire/insurer-db";
import { currentTraceparent } from "@claimwire/telemetry";
import { sql } from "drizzle-orm";
import { type FannedOut, fanOutInTx } from "./fan-out.ts";

const insertEvent = preparedStatement("insert_event", (db, { events }) =>
  db
    .insert(events)
    .values({
      id: sql.placeholder("id"),
      clinicId: sql.placeholder("clinicId"),
      claimId: sql.placeholder("claimId"),
      type: sql.placeholder("type"),
      version: sql.placeholder("version"),
      payload: sql.placeholder("payload"),
      committedAt: sql.placeholder("committedAt"),
      traceparent: sql.placeholder("traceparent"),
    })
    .returning({ seq: events.seq }),
);

/**
 * Appends an event to the event log and its deliveries to the outbox (the deliveries
 * table, which the dispatcher publishes from). Call it inside the transaction that makes
 * the change the event describes: all commit or none does, so no change is ever left
 * without its event or its deliveries, and no event describes a change that was rolled
 * back. After the commit, `services.outbox.notify()` wakes the dispatcher. The active
 * trace (the API call's, or the attempt report's for an operational event) is kept with
 * the event, so its deliveries belong to the trace of the change. Operational
 * events (`endpoint.disabled`) have no claim and no version.
 */
export async function appendEvent(
  store: Store,
  tx: Db,
  event: WebhookEvent,
  at: string,
): Promise<{ eventId: string; seq: number; deliveries: FannedOut[] }> {
  const eventId = newId("event");
  const claim = isClaimEvent(event) ? event : null;
  await store.appendingEvents(tx);
  const [row] = await insertEvent(store, tx).execute({
    id: eventId,
    clinicId: event.data.clinicId,
    claimId: claim?.data.claimId ?? null,
    type: event.type,
    version: claim?.data.version ?? null,
    payload: event,
    committedAt: at,
    // The change's trace, which the dispatcher continues for every delivery of the event.
    traceparent: currentTraceparent(),
  });
  if (!row) throw new Error(`event ${eventId} was not inserted`);
  const deliveries = await fanOutInTx(
    store,
    tx,
    { id: eventId, clinicId: event.data.clinicId, payload: event },
    at,
  );
  return { eventId, seq: row.seq, deliveries };
}

/**
 * The in-process "events were committed" notification. The dispatcher and the event
 * feed's long polls wait on it instead of polling fast, so latency is not bounded below
 * by a timer period.
 */
export type OutboxSignal = {
  notify(): void;
  subscribe(listener: () => void): () => void;
};

export function createOutboxSignal(): OutboxSignal {
  const listeners = new Set<() => void>();
  return {
    notify: () => {
      for (const listener of listeners) listener();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
