import type { ClinicDatabase } from "@claimwire/clinic-db";
import { WEBHOOK_EVENT_TYPES } from "@claimwire/contracts";
import type { Logger } from "pino";
import type { Clock } from "../clock.ts";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import { loadReconciliationState, updateReconciliationState } from "./reconciliation-state.ts";
import { storeFeedEvent } from "./store-feed-event.ts";

/** Defaults of CLINIC_RECONCILE_INTERVAL_MS and CLINIC_RECONCILE_SETTLE_MS. */
export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;
export const DEFAULT_RECONCILE_SETTLE_MS = 30_000;

export type FeedReconcilerOptions = {
  db: ClinicDatabase;
  client: Pick<ClinicInsurerApi, "events">;
  logger: Logger;
  clock: Clock;
  /** Pause between the end of one run and the start of the next (CLINIC_RECONCILE_INTERVAL_MS). */
  intervalMs: number;
  /**
   * Events younger than this are left to their webhook for now (CLINIC_RECONCILE_SETTLE_MS):
   * most are still on their way, and taking them from the feed would only race it.
   */
  settleMs: number;
  /** Events asked for per page (the feed allows 1..500). */
  pageSize?: number;
  /** Called after a run stored new events (wakes the processor). */
  onStored: () => void;
  /** Called after every run, successful or not (the web app shows when it last ran). */
  onRun?: () => void;
};

/** What one run did: events fetched (known ones included) and events new to the inbox. */
export type ReconcileRun = { fetched: number; stored: number; pages: number; error?: string };

export type FeedReconciler = {
  /** Reads the feed from the stored cursor to its end now; a run already going is joined. */
  runOnce(): Promise<ReconcileRun>;
  /** Runs now, then `intervalMs` after each run ends. */
  start(): void;
  /** No further runs; a run in flight stops before it writes again. */
  stop(): void;
};

/**
 * The types the clinic's endpoint subscribes to (registration/ensure-endpoint.ts): the
 * feed is asked for exactly what webhooks would have brought.
 */
const SUBSCRIBED_TYPES = [...WEBHOOK_EVENT_TYPES];

/**
 * Reconciliation with the insurer's event feed (docs/event-feed.md): after downtime, or
 * whenever a webhook never arrived, the events the inbox lacks are taken from
 * `events.list` and stored in the inbox as the receiver would have stored them; the
 * processor applies them like any webhook. The cursor is stored with each page's events
 * in one transaction, so a crash or restart resumes where the last page ended.
 */
export function createFeedReconciler(options: FeedReconcilerOptions): FeedReconciler {
  const {
    db,
    client,
    logger,
    clock,
    intervalMs,
    settleMs,
    pageSize = 100,
    onStored,
    onRun = () => {},
  } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReconcileRun> | undefined;

  async function reconcile(): Promise<ReconcileRun> {
    const run: ReconcileRun = { fetched: 0, stored: 0, pages: 0 };
    const storedIds: string[] = [];
    try {
      let cursor = loadReconciliationState(db).cursor;
      for (;;) {
        const page = await client.events.list.query({
          ...(cursor ? { after: cursor } : {}),
          types: SUBSCRIBED_TYPES,
          limit: pageSize,
        });
        if (stopped) return run;
        run.pages++;
        run.fetched += page.items.length;
        // Settled: the leading events old enough that their webhook had its chance. A page
        // with younger ones is stored only up to them, and the cursor stays before the
        // page, so the next run reads them again (and finds them in the inbox if their
        // webhooks came).
        const now = clock.now();
        const young = page.items.findIndex((item) => now - Date.parse(item.occurredAt) < settleMs);
        const settled = young === -1 ? page.items : page.items.slice(0, young);
        db.transaction((tx) => {
          for (const item of settled) {
            if (storeFeedEvent(tx, item, now)) storedIds.push(item.id);
          }
          if (young === -1 && page.nextCursor) {
            updateReconciliationState(tx, { cursor: page.nextCursor });
          }
        });
        run.stored = storedIds.length;
        if (young !== -1 || !page.hasMore) break;
        cursor = page.nextCursor;
      }
      updateReconciliationState(db, {
        lastRunAt: new Date(clock.now()).toISOString(),
        lastRunFetched: run.fetched,
        lastRunNew: run.stored,
        lastRunError: null,
        lastSuccessAt: new Date(clock.now()).toISOString(),
      });
      if (run.stored > 0) {
        logger.warn(
          { fetched: run.fetched, new: run.stored, webhookIds: storedIds.slice(0, 20) },
          "reconciliation found events that never arrived as webhooks",
        );
      }
      logger.info({ fetched: run.fetched, new: run.stored, pages: run.pages }, "reconciled");
    } catch (error) {
      run.error = error instanceof Error ? error.message : String(error);
      if (stopped) return run;
      updateReconciliationState(db, {
        lastRunAt: new Date(clock.now()).toISOString(),
        lastRunFetched: run.fetched,
        lastRunNew: run.stored,
        lastRunError: run.error.slice(0, 500),
      });
      logger.warn({ ...run }, "reconciliation with the insurer's event feed failed; will retry");
    } finally {
      if (run.stored > 0 && !stopped) onStored();
      if (!stopped) onRun();
    }
    return run;
  }

  function runOnce(): Promise<ReconcileRun> {
    running ??= reconcile().finally(() => {
      running = undefined;
    });
    return running;
  }

  /** Runs now, then again `intervalMs` after it ends (never two at once). */
  function runAndReschedule() {
    void runOnce()
      .catch((error: unknown) => {
        logger.error({ error: (error as Error).message }, "reconciliation run crashed");
      })
      .then(() => {
        if (!stopped) timer = setTimeout(runAndReschedule, intervalMs);
      });
  }

  let started = false;
  return {
    runOnce,
    start() {
      if (stopped || started) return;
      started = true;
      runAndReschedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
