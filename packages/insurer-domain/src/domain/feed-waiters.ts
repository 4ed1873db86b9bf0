import type { Store } from "@claimwire/insurer-db";
import { gt, max } from "drizzle-orm";
import { DomainError } from "./domain-error.ts";
import type { OutboxSignal } from "./outbox.ts";

/** Why a wait ended: an event of the feed may have been committed, time ran out, or it was cut short. */
export type WakeReason = "committed" | "timeout" | "closed";

/** One long poll's place in line (events.wait). Leave it in a `finally`. */
export type FeedWaiter = {
  /**
   * Resolves when the waiter is listening: every commit after this point wakes it.
   * Await it before reading the feed, so no commit slips in between the read and the wait.
   */
  ready: Promise<void>;
  /**
   * Resolves once an event of the waiter's feed has been committed since `ready` or since
   * the last `next` ("committed"; it may be of a type the caller filters out, so read
   * again), after `ms` ("timeout"), or when `signal` aborts or the waiters close ("closed").
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

/** A waiter as the waiters see it: a commit either wakes its wait or is kept for the next one. */
type Listener = { committed: boolean; wake?: (reason: WakeReason) => void };

export function createFeedWaiters(opts: {
  store: Store;
  outbox: OutboxSignal;
  /** Long polls open at once on one clinic's feed (and on the all-clinics feed). */
  maxPerFeed: number;
}): FeedWaiters {
  const { store, maxPerFeed } = opts;
  const { events } = store.tables;
  const open = new Map<string, number>();
  const listeners = new Map<string, Set<Listener>>();
  /**
   * The log position up to which commits have been announced: read when the first waiter
   * enters (before its read of the feed), dropped when the last one leaves.
   */
  let announced: Promise<number> | undefined;
  let checkScheduled = false;
  let checking: Promise<void> = Promise.resolve();
  let closed = false;

  const lastSeq = async () =>
    (await store.db.select({ seq: max(events.seq) }).from(events))[0]?.seq ?? 0;

  function wake(key: string, reason: WakeReason) {
    for (const listener of listeners.get(key) ?? []) {
      if (listener.wake) listener.wake(reason);
      else listener.committed = true;
    }
  }

  /** After a commit (coalesced): wake the waiters of every clinic that has new events. */
  async function check() {
    checkScheduled = false;
    if (closed || !announced) return;
    const since = await announced;
    const grown = await store.db
      .select({ clinicId: events.clinicId, seq: max(events.seq) })
      .from(events)
      .where(gt(events.seq, since))
      .groupBy(events.clinicId);
    if (!announced) return;
    const upTo = Math.max(since, ...grown.map((row) => row.seq ?? 0));
    announced = Promise.resolve(upTo);
    for (const { clinicId } of grown) wake(clinicId, "committed");
    if (grown.length > 0) wake(EVERY_CLINIC, "committed");
  }

  const unsubscribe = opts.outbox.subscribe(() => {
    if (checkScheduled || closed) return;
    checkScheduled = true;
    // One check at a time, each after the commits that called for it.
    checking = checking.then(
      () => new Promise<void>((resolve) => setImmediate(() => check().then(resolve, resolve))),
    );
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
      const listener: Listener = { committed: false };
      const set = listeners.get(key) ?? new Set<Listener>();
      listeners.set(key, set);
      set.add(listener);
      // Everything committed up to here is for the caller's own read to find.
      announced ??= lastSeq();
      const ready = announced.then(() => {});
      let left = false;
      return {
        ready,
        next(ms, signal) {
          return new Promise<WakeReason>((resolve) => {
            if (closed || signal?.aborted) return resolve("closed");
            if (listener.committed) {
              listener.committed = false;
              return resolve("committed");
            }
            const finish = (reason: WakeReason) => {
              clearTimeout(timer);
              signal?.removeEventListener("abort", onAbort);
              delete listener.wake;
              resolve(reason);
            };
            const onAbort = () => finish("closed");
            const timer = setTimeout(() => finish("timeout"), ms);
            signal?.addEventListener("abort", onAbort, { once: true });
            listener.wake = (reason) => finish(closed ? "closed" : reason);
          });
        },
        leave() {
          if (left) return;
          left = true;
          set.delete(listener);
          if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
          if (listeners.size === 0) announced = undefined;
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
      for (const key of [...listeners.keys()]) wake(key, "closed");
    },
  };
}
