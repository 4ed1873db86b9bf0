import { type DomainEventMessage, publishDomainEvent, type Queue } from "@claimwire/queue";
import { asc, inArray, isNull } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/open-database.ts";
import { events } from "../db/schema.ts";
import type { OutboxSignal } from "../domain/outbox.ts";

export type OutboxRelayOptions = {
  db: Db;
  js: Queue["js"];
  signal: OutboxSignal;
  log: Logger;
  /** Events published per round, all in flight at once (one round trip per round, not per event). */
  batchSize?: number;
  /** Safety net for a missed notification (e.g. another process wrote the outbox). */
  pollIntervalMs?: number;
};

export type PublishCounts = { published: number; duplicates: number };

export type OutboxRelay = {
  start(): void;
  stop(): Promise<void>;
  /**
   * Publishes everything unpublished now. `duplicates` counts events JetStream already
   * had (published before a crash, never marked): dropped by the dedup window.
   */
  publishPending(): Promise<PublishCounts>;
};

/**
 * Publishes the outbox to the EVENTS stream in `seq` order, with the event id as
 * Nats-Msg-Id, and marks a row published only after JetStream acknowledged it. A crash
 * in between leaves the row unpublished, so the next start publishes it again and
 * JetStream's dedup window drops the copy: nothing lost, nothing doubled.
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const batchSize = opts.batchSize ?? 256;
  const pollIntervalMs = opts.pollIntervalMs ?? 1_000;
  let running = false;
  let loop: Promise<void> | undefined;
  // Set by every commit notification; a notification that arrives mid-round makes the
  // loop go round again instead of waiting for the poll.
  let dirty = true;
  let wake: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;

  async function publishRound(): Promise<PublishCounts & { full: boolean }> {
    const rows = opts.db
      .select()
      .from(events)
      .where(isNull(events.publishedAt))
      .orderBy(asc(events.seq))
      .limit(batchSize)
      .all();
    if (rows.length === 0) return { published: 0, duplicates: 0, full: false };
    // Started in seq order on one connection, so they reach the stream in seq order.
    const results = await Promise.allSettled(
      rows.map((row) => {
        const msg: DomainEventMessage = {
          eventId: row.id,
          clinicId: row.clinicId,
          claimId: row.claimId,
          committedAt: row.committedAt,
          event: row.payload,
        };
        return publishDomainEvent(opts.js, msg);
      }),
    );
    const acked = rows.filter((_, i) => results[i]?.status === "fulfilled").map((row) => row.seq);
    const failure = results.find((r) => r.status === "rejected");
    const duplicates = results.filter((r) => r.status === "fulfilled" && r.value.duplicate).length;
    if (duplicates > 0) opts.log.info({ duplicates }, "republished events JetStream already had");
    if (acked.length > 0) {
      opts.db
        .update(events)
        .set({ publishedAt: new Date().toISOString() })
        .where(inArray(events.seq, acked))
        .run();
    }
    if (failure) {
      // Left unpublished; retried on the next notification or poll.
      opts.log.warn(
        { err: failure.reason, unpublished: rows.length - acked.length },
        "relay publish failed",
      );
      return { published: acked.length, duplicates, full: false };
    }
    return { published: acked.length, duplicates, full: rows.length === batchSize };
  }

  async function publishPending(): Promise<PublishCounts> {
    const total = { published: 0, duplicates: 0 };
    for (;;) {
      const round = await publishRound();
      total.published += round.published;
      total.duplicates += round.duplicates;
      if (!round.full) return total;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      if (dirty) {
        dirty = false;
        try {
          await publishPending();
        } catch (err) {
          opts.log.error({ err }, "relay round failed");
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      dirty = true;
    }
  }

  return {
    publishPending,
    start() {
      if (running) return;
      running = true;
      dirty = true; // publish whatever a previous run left behind
      unsubscribe = opts.signal.subscribe(() => {
        dirty = true;
        wake?.();
      });
      loop = run();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      wake?.();
      await loop;
    },
  };
}
