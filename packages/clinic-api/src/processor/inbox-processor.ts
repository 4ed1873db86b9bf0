import type { ClinicDatabase, DbExecutor } from "@claimwire/clinic-db";
import { claims, type InboxRow, type InboxState, inbox } from "@claimwire/clinic-db";
import { isClaimEvent, readWebhookEvent } from "@claimwire/contracts";
import { contextFromTraceparent, inSpan } from "@claimwire/telemetry";
import { and, asc, eq, getTableColumns, isNull, lte, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import {
  claimVersionFromEvent,
  hasVersion,
  recordClaimVersion,
} from "../claims/record-claim-version.ts";
import type { Clock } from "../clock.ts";
import type { ClinicChange } from "../live/clinic-changes.ts";
import { PROCESSING_RETRY_DELAYS_MS, retryDelayMs } from "./retry-schedule.ts";

export type InboxProcessorOptions = {
  db: ClinicDatabase;
  logger: Logger;
  clock: Clock;
  /** How long an event waits for a missing earlier version before it is applied anyway. */
  gapWaitMs: number;
  /** The slow timer that catches expired gaps (and any missed wake-up). */
  intervalMs?: number;
  /** Waits before each retry of a message whose processing threw (retry-schedule.ts). */
  retryDelaysMs?: readonly number[];
  /** E-mail is on: each applied change queues the patient's e-mail (if they gave an address). */
  queuePatientEmail?: boolean;
  /** Told about every applied claim change and every retried or quarantined message. */
  onChange?: (change: ClinicChange) => void;
};

/** "retrying": processing threw and the message waits for its next attempt (still pending). */
type Outcome = Exclude<InboxState, "pending"> | "waiting" | "retrying";
export type ProcessSummary = Record<Outcome, number>;

export type InboxProcessor = {
  /** Processes the inbox soon (coalesced); the receiver calls it after each stored delivery. */
  wake(): void;
  /** Processes every pending message now; synchronous, for the timer and for tests. */
  processPending(): ProcessSummary;
  start(): void;
  stop(): void;
  /** Between start() and stop(): what the clinic's /readyz reports as "processor". */
  running(): boolean;
};

const PAGE_SIZE = 200;

// The processor reads the body as text; the signed bytes (`raw_body`) are only for verifying
// a message again, so a page of pending messages does not load them.
const { rawBody: _signedBytes, ...pendingColumns } = getTableColumns(inbox);
type PendingMessage = Omit<InboxRow, "rawBody">;

/**
 * Applies inbox messages to the clinic's claims in per-claim version order. An event
 * applies when it is the next version; an older one is a duplicate or stale and changes
 * nothing; a newer one waits for the missing versions for up to `gapWaitMs` and is then
 * applied anyway (every event carries the full status summary). An event type these
 * contracts do not know (the insurer added it later) is marked `ignored`, never an error;
 * fields an event does not declare are ignored too.
 *
 * A message whose processing throws is retried after the delays of `retryDelaysMs`, then
 * quarantined with its error. Each message is its own transaction, so neither a retrying
 * nor a quarantined message holds back other claims. For its own claim, a message that is
 * retrying or quarantined is a missing version like any other: later versions wait for it
 * up to `gapWaitMs`, then apply across the gap; a retry that succeeds after that finds a
 * newer status and is marked stale (it changes nothing).
 */
export function createInboxProcessor({
  db,
  logger,
  clock,
  gapWaitMs,
  intervalMs = 1_000,
  retryDelaysMs = PROCESSING_RETRY_DELAYS_MS,
  queuePatientEmail = false,
  onChange = () => {},
}: InboxProcessorOptions): InboxProcessor {
  let scheduled = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  // What every message runs, prepared once (not built by the query builder per message).
  // They run on `db` inside the transaction below: one connection, so they are part of it.
  const currentVersion = db
    .select({ version: claims.version })
    .from(claims)
    .where(eq(claims.id, sql.placeholder("claimId")))
    .prepare();
  const markApplied = db
    .update(inbox)
    .set({
      state: "applied",
      processedAt: sql`${sql.placeholder("processedAt")}`,
      error: null,
      retryAt: null,
    })
    .where(eq(inbox.webhookId, sql.placeholder("webhookId")))
    .prepare();

  function processPending(): ProcessSummary {
    const summary: ProcessSummary = {
      applied: 0,
      duplicate: 0,
      stale: 0,
      failed: 0,
      quarantined: 0,
      ignored: 0,
      waiting: 0,
      retrying: 0,
    };
    const now = new Date(clock.now()).toISOString();
    // Keyset pages in (claim, version) order, so messages still waiting on a gap never
    // hide the ones behind them and each claim's versions come lowest first.
    let after: PendingMessage | undefined;
    for (;;) {
      const page = db
        .select(pendingColumns)
        .from(inbox)
        .where(
          and(
            eq(inbox.state, "pending"),
            // A message waiting out a retry delay is skipped; the ones behind it are not.
            or(isNull(inbox.retryAt), lte(inbox.retryAt, now)),
            after
              ? sql`(${inbox.claimId}, ${inbox.version}, ${inbox.webhookId}) > (${after.claimId}, ${after.version}, ${after.webhookId})`
              : undefined,
          ),
        )
        .orderBy(asc(inbox.claimId), asc(inbox.version), asc(inbox.webhookId))
        .limit(PAGE_SIZE)
        .all();
      for (const message of page) summary[processMessage(message)]++;
      after = page.at(-1);
      if (page.length < PAGE_SIZE) return summary;
    }
  }

  /**
   * In a span of the sender's trace (the receiving span's traceparent, kept with the
   * message), so the patient's news is the last hop of the status change's trace.
   */
  function processMessage(message: PendingMessage): Outcome {
    return inSpan(
      "process inbox message",
      {
        parent: contextFromTraceparent(message.traceparent),
        attributes: {
          "claimwire.webhook_id": message.webhookId,
          "claimwire.event_type": message.eventType,
        },
      },
      (span) => {
        const outcome = applyMessage(message);
        span.setAttribute("claimwire.inbox.outcome", outcome);
        return outcome;
      },
    );
  }

  function applyMessage(message: PendingMessage): Outcome {
    const now = new Date(clock.now()).toISOString();
    try {
      const result = db.transaction(() => {
        // The database itself, not the transaction's handle: the statements it prepares
        // (recordClaimVersion's too) are then built once. Same connection, same transaction.
        const tx = db;
        // Verified and schema-checked on receipt; read again because the body is the record.
        const read = readWebhookEvent(JSON.parse(message.body));
        if (read.kind === "invalid") throw new Error(`not a valid event: ${read.problem}`);
        if (read.kind === "unknown") {
          markProcessed(tx, message.webhookId, {
            state: "ignored",
            processedAt: now,
            note: `event type '${read.type}' is not one this clinic knows (added by the insurer since); kept, nothing changed`,
          });
          return { outcome: "ignored", type: read.type } as const;
        }
        const event = read.event;
        if (!isClaimEvent(event)) {
          // An operational event (endpoint.disabled, delivery.failing, …): kept in the
          // inbox, no claim changes.
          markProcessed(tx, message.webhookId, {
            state: "applied",
            processedAt: now,
            note: `operational event ${event.type}; no claim changed`,
          });
          return { outcome: "applied", operational: event } as const;
        }
        const current = currentVersion.get({ claimId: message.claimId })?.version ?? 0;

        if (message.version <= current) {
          const state = hasVersion(tx, message.claimId, message.version) ? "duplicate" : "stale";
          markProcessed(tx, message.webhookId, { state, processedAt: now });
          return { outcome: state } as const;
        }

        let note: string | undefined;
        if (message.version > current + 1) {
          const waited = clock.now() - Date.parse(message.receivedAt);
          if (waited < gapWaitMs) return { outcome: "waiting" } as const;
          note = `applied without version(s) ${current + 1}..${message.version - 1} after waiting ${waited} ms`;
        }

        const recorded = recordClaimVersion(tx, claimVersionFromEvent(event), {
          webhookId: message.webhookId,
          now,
          queueEmail: queuePatientEmail,
        });
        if (note === undefined) markApplied.run({ webhookId: message.webhookId, processedAt: now });
        else
          markProcessed(tx, message.webhookId, {
            state: "applied",
            processedAt: now,
            note,
            error: null,
          });
        const notification = recorded.applied ? recorded.notification : undefined;
        return {
          outcome: "applied",
          status: event.data.status,
          clinicReference: event.data.clinicReference,
          note,
          notification,
        } as const;
      });

      if (result.outcome === "ignored") {
        logger.info(
          { webhookId: message.webhookId, type: result.type },
          "ignored an event type this clinic does not know",
        );
        onChange({ kind: "inbox", webhookId: message.webhookId, state: "ignored" });
      } else if (result.outcome === "applied" && result.operational) {
        // Every operational event asks for a look, except the news that an endpoint recovered.
        const level = result.operational.type === "endpoint.recovered" ? "info" : "warn";
        logger[level](
          {
            webhookId: message.webhookId,
            type: result.operational.type,
            ...result.operational.data,
          },
          "operational event from the insurer (no claim changed)",
        );
      } else if (result.outcome === "applied") {
        const log = {
          webhookId: message.webhookId,
          claimId: message.claimId,
          version: message.version,
        };
        if (result.note)
          logger.warn({ ...log, note: result.note }, "applied claim event across a gap");
        logger.info({ ...log, status: result.status }, "applied claim event");
        if (result.notification) {
          logger.info({ ...log, channel: "log", message: result.notification }, "patient notified");
          onChange({
            kind: "claim",
            claimId: message.claimId,
            clinicReference: result.clinicReference,
            status: result.status,
            version: message.version,
          });
        }
      }
      return result.outcome;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
      const attempts = message.attempts + 1;
      const delay = retryDelayMs(attempts, retryDelaysMs);
      if (delay === undefined) {
        logger.error(
          { webhookId: message.webhookId, claimId: message.claimId, attempts, error: reason },
          "inbox message quarantined: processing failed on every attempt",
        );
        db.update(inbox)
          .set({ state: "quarantined", processedAt: now, error: reason, attempts, retryAt: null })
          .where(eq(inbox.webhookId, message.webhookId))
          .run();
        onChange({ kind: "inbox", webhookId: message.webhookId, state: "quarantined" });
        return "quarantined";
      }
      const retryAt = new Date(clock.now() + delay).toISOString();
      logger.warn(
        {
          webhookId: message.webhookId,
          claimId: message.claimId,
          attempts,
          retryAt,
          error: reason,
        },
        "could not apply inbox message; will retry",
      );
      db.update(inbox)
        .set({ error: reason, attempts, retryAt })
        .where(eq(inbox.webhookId, message.webhookId))
        .run();
      onChange({ kind: "inbox", webhookId: message.webhookId, state: "retrying" });
      return "retrying";
    }
  }

  function run() {
    scheduled = false;
    if (stopped) return;
    try {
      const summary = processPending();
      const { waiting: _waiting, ...done } = summary;
      if (Object.values(done).some((count) => count > 0)) {
        logger.debug(summary, "processed inbox");
      }
    } catch (error) {
      logger.error({ error: (error as Error).message }, "inbox processing failed");
    }
  }

  function wake() {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(run);
  }

  return {
    wake,
    processPending,
    running: () => timer !== undefined,
    start() {
      stopped = false;
      timer ??= setInterval(wake, intervalMs);
      wake();
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}

function markProcessed(
  db: DbExecutor,
  webhookId: string,
  changes: {
    state: Exclude<InboxState, "pending">;
    processedAt: string;
    note?: string;
    error?: string | null;
  },
) {
  // A message that got here after a failed attempt no longer waits for a retry.
  db.update(inbox)
    .set({ ...changes, retryAt: null })
    .where(eq(inbox.webhookId, webhookId))
    .run();
}
