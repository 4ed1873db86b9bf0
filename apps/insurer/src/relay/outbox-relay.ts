import { type DomainEventMessage, publishDomainEvent, type Queue, STREAMS } from "@claimwire/queue";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { createTickBatcher } from "../batching/tick-batcher.ts";
import type { Db } from "../db/open-database.ts";
import { events } from "../db/schema.ts";
import type { OutboxSignal } from "../domain/outbox.ts";

export type OutboxRelayOptions = {
  db: Db;
  js: Queue["js"];
  jsm: Queue["jsm"];
  signal: OutboxSignal;
  log: Logger;
  /**
   * Events in flight at once: a round of `publishPending`, or the running relay's window
   * of published-but-unacknowledged events.
   */
  batchSize?: number;
  /** Safety net for a missed notification (e.g. another process wrote the outbox). */
  pollIntervalMs?: number;
};

type EventRow = typeof events.$inferSelect;

function toMessage(row: EventRow): DomainEventMessage {
  return {
    eventId: row.id,
    clinicId: row.clinicId,
    claimId: row.claimId,
    committedAt: row.committedAt,
    event: row.payload,
  };
}

export type PublishCounts = { published: number; duplicates: number };

export type OutboxRelay = {
  start(): void;
  stop(): Promise<void>;
  /**
   * Publishes everything unpublished now. `duplicates` counts events JetStream already
   * had (published before a crash, never marked): dropped by the dedup window.
   */
  publishPending(): Promise<PublishCounts>;
  /**
   * Compares what we marked published with the EVENTS stream: rows acknowledged at a
   * sequence beyond the stream's last one were lost by the server and are marked
   * unpublished again. Returns how many. Runs at start and after each reconnect.
   */
  reconcileWithStream(): Promise<number>;
  /** Asks the running relay to reconcile before its next round (after a NATS reconnect). */
  reconcileSoon(): void;
};

/**
 * Publishes the outbox to the EVENTS stream in `seq` order, with the event id as
 * Nats-Msg-Id, and marks a row published (with its stream sequence) only after JetStream
 * acknowledged it. A crash in between leaves the row unpublished, so the next start
 * publishes it again and JetStream's dedup window drops the copy: nothing lost, nothing
 * doubled. nats-server 2.9 fsyncs every 2 minutes, so an OS crash can lose the stream's
 * tail (and its dedup records) after we marked it: reconcileWithStream finds those rows
 * by their sequence and publishes them again (issue 3, item 8).
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const batchSize = opts.batchSize ?? 256;
  const pollIntervalMs = opts.pollIntervalMs ?? 1_000;
  let running = false;
  let loop: Promise<void> | undefined;
  // Set by every commit notification; a notification that arrives mid-round makes the
  // loop go round again instead of waiting for the poll.
  let dirty = true;
  let reconcileNeeded = true;
  let wake: (() => void) | undefined;
  let unsubscribe: (() => void) | undefined;

  async function reconcileWithStream(): Promise<number> {
    const info = await opts.jsm.streams.info(STREAMS.events);
    const lastSeq = info.state.last_seq;
    const lost = opts.db
      .update(events)
      .set({ publishedAt: null, publishedSeq: null })
      .where(gt(events.publishedSeq, lastSeq))
      .run().changes;
    if (lost > 0) {
      opts.log.warn(
        { lost, streamLastSeq: lastSeq },
        "EVENTS stream is behind what it acknowledged (lost tail); republishing",
      );
    }
    return lost;
  }

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
      rows.map((row) => publishDomainEvent(opts.js, toMessage(row))),
    );
    const publishedAt = new Date().toISOString();
    const acked: { seq: number; streamSeq: number }[] = [];
    let duplicates = 0;
    rows.forEach((row, i) => {
      const result = results[i];
      if (result?.status !== "fulfilled") return;
      acked.push({ seq: row.seq, streamSeq: result.value.seq });
      if (result.value.duplicate) duplicates++;
    });
    if (duplicates > 0) opts.log.info({ duplicates }, "republished events JetStream already had");
    if (acked.length > 0) {
      markEventsPublished(opts.db, acked, publishedAt);
    }
    const failure = results.find((r) => r.status === "rejected");
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

  // The running relay pipelines (issue 4, item 5): each commit's events are published as
  // soon as the notification arrives, without waiting for the acks of earlier ones (a
  // round trip each, which queued up behind the API's requests during a burst). Rows are
  // still sent in seq order on one connection and marked only once acknowledged.
  const inFlight = new Set<Promise<void>>();
  // Prepared once: the running relay reads the outbox after every commit.
  const unpublishedAfter = opts.db
    .select()
    .from(events)
    .where(and(isNull(events.publishedAt), gt(events.seq, sql.placeholder("after"))))
    .orderBy(asc(events.seq))
    .limit(sql.placeholder("limit"))
    .prepare();
  /** Highest seq handed to JetStream and not known to have failed (while any is in flight). */
  let sentUpTo = 0;
  let wakeScheduled = false;
  /** The window is full: the next ack that frees half of it wakes the loop. */
  let waitingForRoom = false;
  const markPublished = createTickBatcher((acked: { seq: number; streamSeq: number }[]) => {
    markEventsPublished(opts.db, acked, new Date().toISOString());
    return acked.map(() => undefined);
  });

  /** Starts publishing the unpublished rows not already in flight; true if more are waiting. */
  function sendNew(): boolean {
    // With nothing in flight every unpublished row is due again (a failed publish or mark).
    const after = inFlight.size === 0 ? 0 : sentUpTo;
    const room = batchSize - inFlight.size;
    if (room <= 0) return true;
    const rows = unpublishedAfter.all({ after, limit: room });
    for (const row of rows) {
      sentUpTo = row.seq;
      const sending: Promise<void> = publishDomainEvent(opts.js, toMessage(row))
        .then(async (ack) => {
          if (ack.duplicate)
            opts.log.info({ eventId: row.id }, "republished an event JetStream already had");
          await markPublished({ seq: row.seq, streamSeq: ack.seq });
        })
        .catch((err: unknown) => {
          // Left unpublished; sent again on the next notification or poll.
          sentUpTo = Math.min(sentUpTo, row.seq - 1);
          opts.log.warn({ err, eventId: row.id }, "relay publish failed");
        })
        .finally(() => {
          inFlight.delete(sending);
          if (inFlight.size < batchSize / 2 && waitingForRoom) {
            waitingForRoom = false;
            dirty = true;
            wake?.();
          }
        });
      inFlight.add(sending);
    }
    return rows.length === room;
  }

  async function run(): Promise<void> {
    while (running) {
      if (dirty) {
        dirty = false;
        try {
          if (reconcileNeeded) {
            await Promise.all(inFlight);
            await reconcileWithStream();
            reconcileNeeded = false;
          }
          if (sendNew()) {
            // Full: go round again once half the window is acknowledged.
            if (inFlight.size >= batchSize) waitingForRoom = true;
            else dirty = true;
          }
        } catch (err) {
          opts.log.error({ err }, "relay round failed");
          // Try again on the next notification or poll.
        }
        if (dirty) continue;
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
    reconcileWithStream,
    reconcileSoon() {
      reconcileNeeded = true;
      dirty = true;
      wake?.();
    },
    start() {
      if (running) return;
      running = true;
      dirty = true; // publish whatever a previous run left behind
      reconcileNeeded = true;
      unsubscribe = opts.signal.subscribe(() => {
        dirty = true;
        // Idle, a commit is published at once. Busy (publishes in flight), the commits of
        // one event-loop turn (a burst of API calls) share one read of the outbox.
        if (inFlight.size === 0) {
          wake?.();
          return;
        }
        if (wakeScheduled) return;
        wakeScheduled = true;
        setImmediate(() => {
          wakeScheduled = false;
          wake?.();
        });
      });
      loop = run();
    },
    async stop() {
      running = false;
      unsubscribe?.();
      wake?.();
      await loop;
      // Their marks land before a final publishPending() could send them a second time.
      await Promise.all(inFlight);
    },
  };
}

/** Marks events published, with the stream sequence JetStream acknowledged, in one transaction. */
function markEventsPublished(
  db: Db,
  acked: readonly { seq: number; streamSeq: number }[],
  publishedAt: string,
): void {
  db.transaction((tx) => {
    for (const { seq, streamSeq } of acked) {
      tx.update(events)
        .set({ publishedAt, publishedSeq: streamSeq })
        .where(eq(events.seq, seq))
        .run();
    }
  });
}
