import {
  type AttemptReport,
  AttemptReportSchema,
  CONSUMERS,
  consumeMessages,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db } from "../db/open-database.ts";
import { attempts, type DeliveryStatus, deliveries } from "../db/schema.ts";

export type AttemptRecorderOptions = {
  db: Db;
  js: Queue["js"];
  log: Logger;
  concurrency?: number;
};

export type AttemptRecorder = { start(): void; stop(): Promise<void> };

export type RecordResult = "recorded" | "duplicate" | "unknown-delivery";

/**
 * Records one attempt report and folds it into its delivery. Idempotent on attemptId (a
 * redelivered report changes nothing). Reports may arrive out of order, so the latest
 * attempt number decides the delivery's last status, and `delivered` is never undone.
 */
export function recordAttempt(db: Db, report: AttemptReport): RecordResult {
  return db.transaction(
    (tx) => {
      const delivery = tx
        .select()
        .from(deliveries)
        .where(eq(deliveries.id, report.deliveryId))
        .get();
      // Its endpoint was deleted (and the delivery with it): nothing left to record.
      if (!delivery) return "unknown-delivery";
      const inserted = tx
        .insert(attempts)
        .values({
          id: report.attemptId,
          deliveryId: report.deliveryId,
          attemptNumber: report.attemptNumber,
          startedAt: report.startedAt,
          durationMs: report.durationMs,
          outcome: report.outcome,
          statusCode: report.statusCode,
          error: report.error,
          nextAttemptAt: report.nextAttemptAt,
        })
        .onConflictDoNothing({ target: attempts.id })
        .run();
      if (inserted.changes === 0) return "duplicate";

      const attemptCount = Math.max(delivery.attemptCount, report.attemptNumber);
      if (delivery.status === "delivered" || report.attemptNumber < delivery.attemptCount) {
        // A late report of an older attempt, or one after success: only the count moves.
        tx.update(deliveries).set({ attemptCount }).where(eq(deliveries.id, delivery.id)).run();
        return "recorded";
      }
      const status: DeliveryStatus =
        report.outcome === "delivered" ? "delivered" : report.nextAttemptAt ? "pending" : "failed";
      const finishedAt = new Date(Date.parse(report.startedAt) + report.durationMs).toISOString();
      tx.update(deliveries)
        .set({
          status,
          attemptCount,
          lastStatusCode: report.statusCode,
          lastError: report.error,
          nextAttemptAt: status === "pending" ? report.nextAttemptAt : null,
          deliveredAt: status === "delivered" ? finishedAt : null,
        })
        .where(eq(deliveries.id, delivery.id))
        .run();
      return "recorded";
    },
    { behavior: "immediate" },
  );
}

/** Consumes ATTEMPTS (the delivery workers' reports) into the attempts and deliveries tables. */
export function createAttemptRecorder(opts: AttemptRecorderOptions): AttemptRecorder {
  const abort = new AbortController();
  let loop: Promise<void> | undefined;
  return {
    start() {
      loop ??= consumeMessages({
        js: opts.js,
        stream: STREAMS.attempts,
        consumer: CONSUMERS.attemptRecorder,
        schema: AttemptReportSchema,
        concurrency: opts.concurrency ?? 16,
        signal: abort.signal,
        onError: (err, context) => opts.log.error({ err }, context),
        handle: async (report, msg) => {
          const result = recordAttempt(opts.db, report);
          if (result !== "recorded")
            opts.log.debug({ attemptId: report.attemptId, result }, "attempt report skipped");
          msg.ack();
        },
      });
    },
    async stop() {
      abort.abort();
      await loop;
    },
  };
}
