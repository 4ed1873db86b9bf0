import { DeliveryStatusSchema } from "@claimwire/contracts";
import type { Store } from "@claimwire/insurer-db";
import { type AttemptReport, CONSUMERS, type Queue, STREAMS } from "@claimwire/queue";
import { count, inArray, min } from "drizzle-orm";
import type { Logger } from "pino";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The insurer's Prometheus metrics, on its own registry (no global
 * state, so tests and processes do not share counters). Counters and the histogram move
 * as reports are recorded; the gauges are read from JetStream and SQLite at scrape time.
 */
export type InsurerMetrics = {
  registry: Registry;
  /** One recorded (not repeated) attempt report. */
  attemptRecorded(report: AttemptReport): void;
  /** Event committed → delivered, for a delivery's first success. */
  deliveryLatency(ms: number): void;
  /** This process took (true) or lost (false) a lease: it does that background work now. */
  leaseHeld(lease: string, held: boolean): void;
};

/** Each consumer whose backlog is the queue depth of its stream. */
const CONSUMER_OF_STREAM = [
  [STREAMS.deliveries, CONSUMERS.deliveryWorkers],
  [STREAMS.attempts, CONSUMERS.attemptRecorder],
] as const;

/** Not yet delivered and still in the pipeline (dead letters are counted by status). */
const UNDELIVERED = ["sending", "retrying"] as const;

export function createInsurerMetrics(deps: {
  store: Store;
  jsm: Queue["jsm"];
  log: Logger;
}): InsurerMetrics {
  const { store, jsm, log } = deps;
  const { deliveries } = store.tables;
  const registry = new Registry();

  const attempts = new Counter({
    name: "claimwire_delivery_attempts_total",
    help: "Delivery attempts recorded, by outcome and error class ('none' for a success).",
    labelNames: ["outcome", "error_class"] as const,
    registers: [registry],
  });

  const latency = new Histogram({
    name: "claimwire_delivery_latency_seconds",
    help: "From the event's commit to the first 2xx of a delivery.",
    // From sub-second (the healthy path) to the retry schedule's three days.
    buckets: [
      0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1_800, 3_600, 7_200, 21_600, 86_400,
      259_200,
    ],
    registers: [registry],
  });

  new Gauge({
    name: "claimwire_queue_depth",
    help: "Messages waiting or in flight (num_pending + num_ack_pending) on each stream's consumer.",
    labelNames: ["stream"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        CONSUMER_OF_STREAM.map(async ([stream, consumer]) => {
          try {
            const info = await jsm.consumers.info(stream, consumer);
            this.set({ stream }, info.num_pending + info.num_ack_pending);
          } catch (err) {
            log.warn({ err, stream }, "queue depth unavailable");
          }
        }),
      );
    },
  });

  new Gauge({
    name: "claimwire_deliveries",
    help: "Deliveries by status (failed = dead letters waiting for resend or recovery).",
    labelNames: ["status"] as const,
    registers: [registry],
    async collect() {
      const counts = await store.db
        .select({ status: deliveries.status, count: count() })
        .from(deliveries)
        .groupBy(deliveries.status);
      for (const status of DeliveryStatusSchema.options) {
        this.set({ status }, counts.find((c) => c.status === status)?.count ?? 0);
      }
    },
  });

  new Gauge({
    name: "claimwire_oldest_undelivered_age_seconds",
    help: "Age of the oldest delivery still sending or waiting for a retry, per endpoint.",
    labelNames: ["endpoint_id"] as const,
    registers: [registry],
    async collect() {
      const oldest = await store.db
        .select({ endpointId: deliveries.endpointId, createdAt: min(deliveries.createdAt) })
        .from(deliveries)
        .where(inArray(deliveries.status, [...UNDELIVERED]))
        .groupBy(deliveries.endpointId);
      this.reset();
      const now = Date.now();
      for (const row of oldest) {
        if (!row.createdAt) continue;
        this.set(
          { endpoint_id: row.endpointId },
          Math.max(0, (now - Date.parse(row.createdAt)) / 1000),
        );
      }
    },
  });

  const leases = new Gauge({
    name: "claimwire_lease_held",
    help: "1 while this process holds the lease and does that work (dispatcher, simulator): one process at a time.",
    labelNames: ["lease"] as const,
    registers: [registry],
  });

  return {
    registry,
    leaseHeld(lease, held) {
      leases.set({ lease }, held ? 1 : 0);
    },
    attemptRecorded(report) {
      attempts.inc({ outcome: report.outcome, error_class: report.errorClass ?? "none" });
    },
    deliveryLatency(ms) {
      latency.observe(ms / 1000);
    },
  };
}
