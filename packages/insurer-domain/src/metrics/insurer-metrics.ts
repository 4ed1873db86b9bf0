import { DeliveryStatusSchema } from "@claimwire/contracts";
import type { Store } from "@claimwire/insurer-db";
import { type AttemptReport, CONSUMERS, type Queue, STREAMS } from "@claimwire/queue";
import { count, eq, inArray, min } from "drizzle-orm";
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

/** Consumer state as JetStream reports it, read once per scrape for every gauge that needs it. */
type ConsumerState = {
  stream: string;
  consumer: string;
  numPending: number;
  numAckPending: number;
  numWaiting: number;
  deliveredSeq: number;
  ackFloorSeq: number;
};

/** Within one scrape the consumer gauges share one read of each consumer's info. */
const CONSUMER_INFO_REUSE_MS = 500;

/** Disabled endpoints listed per scrape at most (they are open problems, so few). */
const DISABLED_ENDPOINTS_LISTED = 1_000;

/** Not yet delivered and still in the pipeline (dead letters are counted by status). */
const UNDELIVERED = ["sending", "retrying"] as const;

export function createInsurerMetrics(deps: {
  store: Store;
  jsm: Queue["jsm"];
  log: Logger;
}): InsurerMetrics {
  const { store, jsm, log } = deps;
  const { deliveries, endpoints } = store.tables;
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

  let consumerRead: { at: number; states: Promise<ConsumerState[]> } | undefined;
  /** Each consumer's info, shared by the gauges of one scrape (one JetStream request each). */
  const consumerStates = (): Promise<ConsumerState[]> => {
    if (consumerRead && Date.now() - consumerRead.at < CONSUMER_INFO_REUSE_MS) {
      return consumerRead.states;
    }
    const states = Promise.all(
      CONSUMER_OF_STREAM.map(async ([stream, consumer]) => {
        try {
          const info = await jsm.consumers.info(stream, consumer);
          return [
            {
              stream,
              consumer,
              numPending: info.num_pending,
              numAckPending: info.num_ack_pending,
              numWaiting: info.num_waiting,
              deliveredSeq: info.delivered.stream_seq,
              ackFloorSeq: info.ack_floor.stream_seq,
            },
          ];
        } catch (err) {
          log.warn({ err, stream }, "consumer info unavailable");
          return [];
        }
      }),
    ).then((all) => all.flat());
    consumerRead = { at: Date.now(), states };
    return states;
  };
  /** A gauge per consumer, from its info at scrape time; a consumer not read has no sample. */
  const consumerGauge = (
    name: string,
    help: string,
    value: (state: ConsumerState) => number,
    perStreamOnly = false,
  ) =>
    new Gauge({
      name,
      help,
      labelNames: perStreamOnly ? ["stream"] : ["stream", "consumer"],
      registers: [registry],
      async collect() {
        const states = await consumerStates();
        this.reset();
        for (const s of states) {
          const labels = perStreamOnly
            ? { stream: s.stream }
            : { stream: s.stream, consumer: s.consumer };
          this.set(labels, value(s));
        }
      },
    });

  consumerGauge(
    "claimwire_queue_depth",
    "Messages waiting or in flight (num_pending + num_ack_pending) on each stream's consumer.",
    (s) => s.numPending + s.numAckPending,
    true,
  );
  // What the alerts need to tell a stalled consumer (work owed, no sequence moving) and a
  // consumer nobody pulls from (no pull request waiting) from a busy one.
  consumerGauge(
    "claimwire_consumer_pending",
    "Messages on the stream not yet handed out by the consumer (num_pending).",
    (s) => s.numPending,
  );
  consumerGauge(
    "claimwire_consumer_ack_pending",
    "Messages handed out and not yet acked (num_ack_pending).",
    (s) => s.numAckPending,
  );
  consumerGauge(
    "claimwire_consumer_waiting_pulls",
    "Pull requests waiting at the consumer (num_waiting): 0 for long means no process pulls.",
    (s) => s.numWaiting,
  );
  consumerGauge(
    "claimwire_consumer_delivered_sequence",
    "Stream sequence of the last message the consumer handed out.",
    (s) => s.deliveredSeq,
  );
  consumerGauge(
    "claimwire_consumer_ack_floor_sequence",
    "Stream sequence up to which every message is acked.",
    (s) => s.ackFloorSeq,
  );

  new Gauge({
    name: "claimwire_endpoint_disabled",
    help: "1 for each disabled endpoint, with its clinic and why (gone, failing, manual).",
    labelNames: ["endpoint_id", "clinic_id", "reason"] as const,
    registers: [registry],
    async collect() {
      const disabled = await store.db
        .select({
          id: endpoints.id,
          clinicId: endpoints.clinicId,
          reason: endpoints.disabledReason,
        })
        .from(endpoints)
        .where(eq(endpoints.enabled, false))
        .limit(DISABLED_ENDPOINTS_LISTED);
      this.reset();
      for (const e of disabled) {
        this.set({ endpoint_id: e.id, clinic_id: e.clinicId, reason: e.reason ?? "manual" }, 1);
      }
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
