import { type Db, preparedStatement, type Store } from "@claimwire/insurer-db";
import {
  type AttemptReport,
  AttemptReportSchema,
  attemptReportSpanAttributes,
  CONSUMERS,
  createConsumerLoop,
  STREAMS,
} from "@claimwire/queue";
import {
  activeContext,
  type Context,
  contextFromHeaders,
  inSpan,
  SpanKind,
  withContext,
} from "@claimwire/telemetry";
import { eq, sql } from "drizzle-orm";
import { createTickBatcher } from "../batching/tick-batcher.ts";
import { syncEndpointConfig } from "../domain/endpoint-config.ts";
import { disableEndpointInTx } from "../domain/endpoint-health.ts";
import type { DeliveryConfig, Services } from "../domain/services.ts";
import { NOT_THE_ENDPOINTS_FAULT } from "./endpoint-fault.ts";
import {
  appendDeliveryEvent,
  appendEndpointRecoveredIfDue,
  type FailedDelivery,
  failedAttemptsOf,
  raisesOperationalEvents,
} from "./operational-events.ts";
import { decideRetry } from "./retry-schedule.ts";

export type AttemptRecorder = { start(): void; stop(): Promise<void> };

type RecordPolicy = Pick<DeliveryConfig, "retry" | "disableAfterMs" | "failingAfterAttempts">;

export type RecordResult = {
  result: "recorded" | "duplicate" | "unknown-delivery";
  /** Set when this report delivered the delivery for the first time: commit → 2xx. */
  deliveredLatencyMs?: number;
  /** An endpoint whose KV config must be written again after the commit. */
  syncEndpointId?: string;
  /** The endpoint was disabled by this report (410, or failing too long). */
  disabled?: "gone" | "failing";
  /**
   * The transaction appended an event (endpoint.disabled, delivery.failing,
   * delivery.exhausted, endpoint.recovered): the dispatcher must be woken.
   */
  appendedEvent: boolean;
};

/**
 * Records one attempt report and decides what follows, in one transaction (the consumer
 * shares the transaction among a turn's reports, see createTurnRecorder):
 * - every field of the attempt is kept (idempotent on attemptId: a repeated report
 *   changes nothing);
 * - 2xx: the delivery is delivered (never undone, even by a later failure of an older
 *   or a manual attempt) and the endpoint's failing_since is cleared;
 * - a failure of the latest attempt: 410 disables the endpoint at once ("gone"); other
 *   failures start or continue the endpoint's failing run, and a run as long as
 *   ENDPOINT_DISABLE_AFTER_MS disables it ("failing"); then the retry schedule decides
 *   "retrying" with next_attempt_at (Retry-After clamped) or "failed" (dead letter).
 *   A disabled endpoint's deliveries fail without retry; recovery brings them back.
 * - a failure of an older attempt (a newer one is already out) is only recorded.
 * Operational events for the clinic's other endpoints are raised here too, in the same
 * transaction (operational-events.ts): delivery.failing when a delivery's failed attempts
 * reach DELIVERY_FAILING_AFTER_ATTEMPTS, delivery.exhausted when the schedule
 * dead-letters it, endpoint.recovered when a 2xx ends the endpoint's failing run.
 */
export function recordAttempt(
  store: Store,
  report: AttemptReport,
  policy: RecordPolicy,
  now: Date = new Date(),
): Promise<RecordResult> {
  return store.transaction((tx) => recordAttemptIn(store, tx, report, policy, now));
}

/**
 * recordAttempt for several reports in one transaction (group commit): each is recorded
 * as if alone, in order, and seeing the ones before it; the results are in the reports'
 * order. One report that throws rolls back all of them.
 */
export function recordAttempts(
  store: Store,
  reports: readonly AttemptReport[],
  policy: RecordPolicy,
  now: Date = new Date(),
  /** Each report's trace (its consumer span): an operational event it raises continues it. */
  traces?: readonly Context[],
): Promise<RecordResult[]> {
  return store.transaction(async (tx) => {
    const results: RecordResult[] = [];
    // In order: each report sees the ones before it.
    for (const [i, report] of reports.entries()) {
      const record = () => recordAttemptIn(store, tx, report, policy, now);
      const trace = traces?.[i];
      results.push(await (trace ? withContext(trace, record) : record()));
    }
    return results;
  });
}

/**
 * What the consumer records with: the reports handed in during one turn of the event
 * loop share one transaction (createTickBatcher), and each promise settles after that
 * commit with its own report's result. A transaction that throws is retried report by
 * report, so a report that cannot be recorded fails alone and the others are recorded.
 */
export function createTurnRecorder(
  store: Store,
  policy: RecordPolicy,
): (report: AttemptReport) => Promise<RecordResult> {
  // Reports of one turn share a transaction but not a trace: each keeps its caller's.
  const record = createTickBatcher((items: { report: AttemptReport; trace: Context }[]) =>
    recordAttempts(
      store,
      items.map((item) => item.report),
      policy,
      new Date(),
      items.map((item) => item.trace),
    ),
  );
  return (report) => record({ report, trace: activeContext() });
}

// Every report runs the first two statements and a delivered one the third: prepared once
// (prepared-statement.ts) instead of built by the query builder for each report.

/** The delivery a report is about, with its endpoint and its event's commit time and type. */
const deliveryOfReport = preparedStatement("delivery_of_report", (db, t) =>
  db
    .select({
      delivery: t.deliveries,
      endpoint: t.endpoints,
      committedAt: t.events.committedAt,
      eventType: t.events.type,
    })
    .from(t.deliveries)
    .innerJoin(t.endpoints, eq(t.endpoints.id, t.deliveries.endpointId))
    .innerJoin(t.events, eq(t.events.id, t.deliveries.eventId))
    .where(eq(t.deliveries.id, sql.placeholder("deliveryId"))),
);

/** The attempt, once: a repeated report (same attemptId) inserts nothing and returns no row. */
const insertAttempt = preparedStatement("insert_attempt", (db, { attempts }) =>
  db
    .insert(attempts)
    .values({
      id: sql.placeholder("attemptId"),
      deliveryId: sql.placeholder("deliveryId"),
      attemptNumber: sql.placeholder("attemptNumber"),
      trigger: sql.placeholder("trigger"),
      startedAt: sql.placeholder("startedAt"),
      durationMs: sql.placeholder("durationMs"),
      outcome: sql.placeholder("outcome"),
      statusCode: sql.placeholder("statusCode"),
      errorClass: sql.placeholder("errorClass"),
      error: sql.placeholder("error"),
      retryAfterMs: sql.placeholder("retryAfterMs"),
      responseHeaders: sql.placeholder("responseHeaders"),
      responseBody: sql.placeholder("responseBody"),
      nextAttemptAt: null,
    })
    .onConflictDoNothing({ target: attempts.id })
    .returning({ id: attempts.id }),
);

/** A placeholder where the builder's `set()` takes only values or SQL (plain values: no encoder). */
const param = (name: string) => sql`${sql.placeholder(name)}`;

/** A first 2xx: delivered, and no scheduled retry left. */
const markDelivered = preparedStatement("mark_delivered", (db, { deliveries }) =>
  db
    .update(deliveries)
    .set({
      status: "delivered",
      attemptCount: param("attemptCount"),
      lastStatusCode: param("lastStatusCode"),
      lastErrorClass: null,
      lastError: null,
      nextAttemptAt: null,
      nextTrigger: "scheduled",
      deliveredAt: param("deliveredAt"),
    })
    .where(eq(deliveries.id, sql.placeholder("deliveryId"))),
);

async function recordAttemptIn(
  store: Store,
  tx: Db,
  report: AttemptReport,
  policy: RecordPolicy,
  now: Date,
): Promise<RecordResult> {
  const { attempts, deliveries, endpoints } = store.tables;
  const [found] = await deliveryOfReport(store, tx).execute({ deliveryId: report.deliveryId });
  // Its endpoint was deleted (and the delivery with it): nothing left to record.
  if (!found) return { result: "unknown-delivery", appendedEvent: false };
  const { delivery, endpoint } = found;
  const inserted = await insertAttempt(store, tx).execute({
    attemptId: report.attemptId,
    deliveryId: report.deliveryId,
    attemptNumber: report.attemptNumber,
    trigger: report.trigger,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    outcome: report.outcome,
    statusCode: report.statusCode,
    errorClass: report.errorClass,
    error: report.error,
    retryAfterMs: report.retryAfterMs,
    responseHeaders: report.responseHeaders,
    responseBody: report.responseBody,
  });
  if (inserted.length === 0) return { result: "duplicate", appendedEvent: false };

  const attemptCount = Math.max(delivery.attemptCount, report.attemptNumber);
  const at = now.toISOString();
  /** A resend or recovery waits for the dispatcher: this report must not cancel it. */
  const manualPending = delivery.nextTrigger === "manual" && delivery.nextAttemptAt !== null;

  if (report.outcome === "delivered") {
    let recovered = false;
    if (endpoint.failingSince !== null) {
      await tx.update(endpoints).set({ failingSince: null }).where(eq(endpoints.id, endpoint.id));
      recovered = await appendEndpointRecoveredIfDue(
        store,
        tx,
        { ...endpoint, failingSince: endpoint.failingSince },
        delivery.id,
        at,
        policy.failingAfterAttempts,
      );
    }
    if (delivery.status === "delivered") {
      await tx.update(deliveries).set({ attemptCount }).where(eq(deliveries.id, delivery.id));
      return { result: "recorded", appendedEvent: recovered };
    }
    const deliveredAt = new Date(Date.parse(report.startedAt) + report.durationMs);
    if (!manualPending) {
      await markDelivered(store, tx).execute({
        attemptCount,
        lastStatusCode: report.statusCode,
        deliveredAt: deliveredAt.toISOString(),
        deliveryId: delivery.id,
      });
    } else {
      // A resend asked for meanwhile still goes out: its next attempt is kept.
      await tx
        .update(deliveries)
        .set({
          status: "delivered",
          attemptCount,
          lastStatusCode: report.statusCode,
          lastErrorClass: null,
          lastError: null,
          deliveredAt: deliveredAt.toISOString(),
        })
        .where(eq(deliveries.id, delivery.id));
    }
    return {
      result: "recorded",
      appendedEvent: recovered,
      deliveredLatencyMs: Math.max(0, deliveredAt.getTime() - Date.parse(found.committedAt)),
    };
  }

  const outcome: RecordResult = { result: "recorded", appendedEvent: false };
  // The delivery events: only for a claim event's delivery not delivered yet.
  const failed: FailedDelivery | null =
    delivery.status !== "delivered" && raisesOperationalEvents(found.eventType)
      ? {
          endpointId: endpoint.id,
          clinicId: endpoint.clinicId,
          deliveryId: delivery.id,
          eventId: delivery.eventId,
          eventType: found.eventType,
          lastStatusCode: report.statusCode,
          lastErrorClass: report.errorClass,
          lastFailedAt: report.startedAt,
        }
      : null;
  const failures = failed ? await failedAttemptsOf(store, tx, delivery.id) : null;
  // The count grows by one per recorded failure, so it equals the threshold exactly once.
  if (failed && failures && failures.count === policy.failingAfterAttempts) {
    await appendDeliveryEvent(store, tx, "delivery.failing", failed, failures, at);
    outcome.appendedEvent = true;
  }

  const current = report.attemptNumber >= delivery.attemptCount;
  if (delivery.status === "delivered" || !current) {
    // After success, or a late report of an attempt already superseded: record only.
    await tx.update(deliveries).set({ attemptCount }).where(eq(deliveries.id, delivery.id));
    return outcome;
  }

  let enabled = endpoint.enabled;
  if (enabled && report.errorClass && NOT_THE_ENDPOINTS_FAULT.has(report.errorClass)) {
    // The worker saw a config that disagrees with ours: write it again.
    outcome.syncEndpointId = endpoint.id;
  } else if (enabled) {
    const failingSince = endpoint.failingSince ?? report.startedAt;
    if (endpoint.failingSince === null) {
      await tx.update(endpoints).set({ failingSince }).where(eq(endpoints.id, endpoint.id));
    }
    const failingForMs = Date.parse(report.startedAt) - Date.parse(failingSince);
    const reason =
      report.statusCode === 410 ? "gone" : failingForMs >= policy.disableAfterMs ? "failing" : null;
    if (
      reason &&
      (await disableEndpointInTx(store, tx, { ...endpoint, failingSince }, reason, at))
    ) {
      enabled = false;
      outcome.disabled = reason;
      outcome.appendedEvent = true;
      outcome.syncEndpointId = endpoint.id;
    }
  }

  if (manualPending && enabled) {
    // The manual attempt already waiting is the next one: record this failure only.
    await tx
      .update(deliveries)
      .set({
        attemptCount,
        lastStatusCode: report.statusCode,
        lastErrorClass: report.errorClass,
        lastError: report.error,
      })
      .where(eq(deliveries.id, delivery.id));
    return outcome;
  }

  const decision = enabled
    ? decideRetry(policy.retry, {
        attempt: report.attemptNumber - delivery.scheduleBase,
        now,
        retryAfterMs: report.retryAfterMs,
      })
    : ({ kind: "dead-letter" } as const);
  const nextAttemptAt = decision.kind === "retry" ? decision.at.toISOString() : null;
  await tx
    .update(deliveries)
    .set({
      status: decision.kind === "retry" ? "retrying" : "failed",
      attemptCount,
      lastStatusCode: report.statusCode,
      lastErrorClass: report.errorClass,
      lastError: report.error,
      nextAttemptAt,
      nextTrigger: "scheduled",
    })
    .where(eq(deliveries.id, delivery.id));
  if (nextAttemptAt) {
    await tx.update(attempts).set({ nextAttemptAt }).where(eq(attempts.id, report.attemptId));
  }
  // Retries exhausted. A delivery failed because its endpoint is disabled is not: that
  // is endpoint.disabled's notice, once for all of the endpoint's deliveries.
  if (decision.kind === "dead-letter" && enabled && failed && failures) {
    await appendDeliveryEvent(store, tx, "delivery.exhausted", failed, failures, at);
    outcome.appendedEvent = true;
  }
  return outcome;
}

/** How long ATTEMPTS may hand out nothing while reports wait and the recorder pulls. */
const STALL_AFTER_MS = 30_000;

/** Consumes ATTEMPTS (the delivery workers' reports) into the attempts and deliveries tables. */
export function createAttemptRecorder(opts: {
  services: Services;
  concurrency?: number;
  /** After each recorded attempt: its endpoint has room for another (the dispatcher's wake). */
  onRecorded?: () => void;
  /** Told whether the ATTEMPTS consumer is bound and pulled from (the insurer's /readyz). */
  onBound?: (bound: boolean) => void;
}): AttemptRecorder {
  const { services } = opts;
  const { log, metrics } = services;
  const record = createTurnRecorder(services.store, services.delivery);
  const loop = createConsumerLoop({
    js: services.js,
    stream: STREAMS.attempts,
    consumer: CONSUMERS.attemptRecorder,
    schema: AttemptReportSchema,
    concurrency: opts.concurrency ?? 16,
    onBound: opts.onBound,
    onError: (err, context) => log.error({ err }, context),
    // A stalled ATTEMPTS consumer would also hold up the stuck-delivery check, which waits
    // for unrecorded reports. Work queue: re-creating it re-sends only unacked reports,
    // which are recorded once (by attemptId). See docs/delivery.md.
    stallGuard: { afterMs: STALL_AFTER_MS, recreate: true },
    handle: (report, msg) =>
      inSpan(
        `process ${STREAMS.attempts}`,
        {
          kind: SpanKind.CONSUMER,
          parent: contextFromHeaders((name) => msg.headers?.get(name)),
          attributes: attemptReportSpanAttributes(report),
        },
        () => recordOne(report, msg),
      ),
  });
  return loop;

  async function recordOne(report: AttemptReport, msg: { ack(): void }): Promise<void> {
    // Shares a commit with the other reports of this turn; acked only after it.
    const recorded = await record(report);
    if (recorded.result === "recorded") {
      log.debug(
        {
          deliveryId: report.deliveryId,
          attemptNumber: report.attemptNumber,
          outcome: report.outcome,
        },
        "attempt recorded",
      );
      opts.onRecorded?.();
      metrics.attemptRecorded(report);
      if (recorded.deliveredLatencyMs !== undefined) {
        metrics.deliveryLatency(recorded.deliveredLatencyMs);
      }
    } else {
      log.debug({ attemptId: report.attemptId, result: recorded.result }, "report skipped");
    }
    if (recorded.disabled) {
      log.warn({ endpointId: report.endpointId, reason: recorded.disabled }, "endpoint disabled");
    }
    if (recorded.appendedEvent) services.outbox.notify();
    if (recorded.syncEndpointId) await syncEndpointConfig(services, recorded.syncEndpointId);
    msg.ack();
  }
}
