import { isClaimEvent, type WebhookEvent } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import type { Db } from "@claimwire/insurer-db";
import { events } from "@claimwire/insurer-db";
import { type FannedOut, fanOutInTx } from "./fan-out.ts";

/** A drizzle transaction (or the db itself): what a function that joins one accepts. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Appends an event to the event log and its deliveries to the outbox (the deliveries
 * table, which the dispatcher publishes from). Call it inside the transaction that makes
 * the change the event describes: all commit or none does, so no change is ever left
 * without its event or its deliveries, and no event describes a change that was rolled
 * back. After the commit, `services.outbox.notify()` wakes the dispatcher. Operational
 * events (`endpoint.disabled`) have no claim and no version.
 */
export function appendEvent(
  tx: Tx,
  event: WebhookEvent,
  at: string,
): { eventId: string; seq: number; deliveries: FannedOut[] } {
  const eventId = newId("event");
  const claim = isClaimEvent(event) ? event : null;
  const row = tx
    .insert(events)
    .values({
      id: eventId,
      clinicId: event.data.clinicId,
      claimId: claim?.data.claimId ?? null,
      type: event.type,
      version: claim?.data.version ?? null,
      payload: event,
      committedAt: at,
    })
    .returning({ seq: events.seq })
    .get();
  const deliveries = fanOutInTx(
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
