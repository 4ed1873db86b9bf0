import type { Db } from "@claimwire/insurer-db";
import { events } from "@claimwire/insurer-db";
import { gt, max } from "drizzle-orm";
import { DomainError } from "./domain-error.ts";
import type { OutboxSignal } from "./outbox.ts";

/** Why a wait ended: an event of the feed may have been committed, time ran out, or it was cut short. */
export type WakeReason = "committed" | "timeout" | "closed";

/** One long poll's place in line (events.wait). Leave it in a `finally`. */
export type FeedWaiter = {
  /**
   * Resolves once an event of the waiter's feed is committed after this call ("committed";
   * it may be of a type the caller filters out, so read again), after `ms` ("timeout"),
   * or when `signal` aborts or the waiters close ("closed"). Call it in the same
   * synchronous step as the read of the feed it follows, so no commit slips in between.
   */
  next(ms: number, signal?: AbortSignal): Promise<WakeReason>;
  leave(): void;
};

/**
 * The in-process wake-up for long polls. Every transaction that writes events calls
 * `services.outbox.notify()` after its commit (the outbox relay waits on the same
 * signal); on it, one query finds which clinics' feeds grew since the last look, and
 * only their waiters (and staff waiting on every clinic) are woken. Nothing polls the
 * database while nobody waits.
 */
export type FeedWaiters = {
  /**
   * Takes a place waiting on `clinicId`'s feed (null: every clinic's, for staff).
   * TOO_MANY_REQUESTS when that feed already has `maxPerFeed` long polls open.
   */
  enter(clinicId: string | null): FeedWaiter;
  /** Long polls open on a feed now. */
  count(clinicId: string | null): number;
  /** Ends every wait ("closed") and stops listening: the insurer is stopping. */
  close(): void;
};

const EVERY_CLINIC = "*";

export function createFeedWaiters(opts: {
  db: Db;
  outbox: OutboxSignal;
  /** Long polls open at once on one clinic's feed (and on the all-clinics feed). */
  maxPerFeed: number;
}): FeedWaiters {
  const { db, maxPerFeed } = opts;
  const open = new Map<string, number>();
  const listeners = new Map<string, Set<() => void>>();
  /** The log position up to which commits have been announced; unset while nobody waits. */
  let announcedSeq: number | undefined;
  let checkScheduled = false;
  let closed = false;

  const lastSeq = () =>
    db
      .select({ seq: max(events.seq) })
      .from(events)
      .get()?.seq ?? 0;

  function wake(key: string) {
    const woken = listeners.get(key);
    if (!woken) return;
    listeners.delete(key);
    for (const listener of woken) listener();
  }

  /** After a commit (coalesced): wake the waiters of every clinic that has new events. */
  function check() {
    checkScheduled = false;
    if (closed) return;
    if (listeners.size === 0 || announcedSeq === undefined) {
      announcedSeq = undefined;
      return;
    }
    const grown = db
      .select({ clinicId: events.clinicId, seq: max(events.seq) })
      .from(events)
      .where(gt(events.seq, announcedSeq))
      .groupBy(events.clinicId)
      .all();
    for (const { clinicId, seq } of grown) {
      announcedSeq = Math.max(announcedSeq, seq ?? 0);
      wake(clinicId);
    }
    if (grown.length > 0) wake(EVERY_CLINIC);
  }

  const unsubscribe = opts.outbox.subscribe(() => {
    if (checkScheduled || closed) return;
    checkScheduled = true;
    setImmediate(check);
  });

  return {
    enter(clinicId) {
      const key = clinicId ?? EVERY_CLINIC;
      const current = open.get(key) ?? 0;
      if (current >= maxPerFeed) {
        throw new DomainError(
          "TOO_MANY_REQUESTS",
          `${clinicId ? `Clinic '${clinicId}'` : "The all-clinics feed"} already has ${maxPerFeed} long polls open; wait for one to return`,
        );
      }
      open.set(key, current + 1);
      let left = false;
      return {
        next(ms, signal) {
          return new Promise<WakeReason>((resolve) => {
            if (closed || signal?.aborted) return resolve("closed");
            // The caller has just read the feed: everything committed so far is known to it.
            announcedSeq ??= lastSeq();
            const set = listeners.get(key) ?? new Set<() => void>();
            listeners.set(key, set);
            const finish = (reason: WakeReason) => {
              clearTimeout(timer);
              signal?.removeEventListener("abort", onAbort);
              set.delete(onCommit);
              if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
              resolve(reason);
            };
            const onCommit = () => finish(closed ? "closed" : "committed");
            const onAbort = () => finish("closed");
            const timer = setTimeout(() => finish("timeout"), ms);
            signal?.addEventListener("abort", onAbort, { once: true });
            set.add(onCommit);
          });
        },
        leave() {
          if (left) return;
          left = true;
          const remaining = (open.get(key) ?? 1) - 1;
          if (remaining > 0) open.set(key, remaining);
          else open.delete(key);
        },
      };
    },
    count(clinicId) {
      return open.get(clinicId ?? EVERY_CLINIC) ?? 0;
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const key of [...listeners.keys()]) wake(key);
    },
  };
}
