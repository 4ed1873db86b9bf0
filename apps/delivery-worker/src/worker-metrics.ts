import type { AttemptReport, DeliveryTask } from "@claimwire/queue";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** This worker's Prometheus metrics, on a registry of its own (never prom-client's global). */
export type WorkerMetrics = {
  registry: Registry;
  /** Counts a reported attempt; `sent` is false when no request was made (endpoint gone, disabled…). */
  recordAttempt(report: AttemptReport, task: DeliveryTask, opts: { sent: boolean }): void;
  /** Requests in flight in this worker. */
  inFlight: Gauge;
  /** Attempt reports that could not be published (the task is retried). */
  reportFailures: Counter;
};

const SECOND_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];
// From a second to the end of the default schedule (about three days).
const LATENCY_BUCKETS = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1_800, 7_200, 21_600, 86_400, 259_200,
];

/**
 * Creates the metrics served on /metrics:
 * - `claimwire_worker_attempts_total{outcome, error_class}` (error_class "none" when delivered)
 * - `claimwire_worker_attempt_duration_seconds{outcome}`: requests actually attempted
 * - `claimwire_worker_delivery_latency_seconds{attempt, trigger}`: task.committedAt → 2xx;
 *   `attempt="first"` is attemptNumber 1, sum over `attempt` for all deliveries
 * - `claimwire_worker_in_flight`, `claimwire_worker_report_failures_total`, plus
 *   process metrics with `processMetrics`
 *
 * @example
 * const metrics = createWorkerMetrics({ processMetrics: true });
 * const text = await metrics.registry.metrics();
 */
export function createWorkerMetrics({ processMetrics = false } = {}): WorkerMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: "claimwire_worker_" });

  const attempts = new Counter({
    name: "claimwire_worker_attempts_total",
    help: "Delivery attempts reported, by outcome and error class",
    labelNames: ["outcome", "error_class"] as const,
    registers: [registry],
  });
  const attemptDuration = new Histogram({
    name: "claimwire_worker_attempt_duration_seconds",
    help: "Duration of delivery requests (connect to end of response body), by outcome",
    labelNames: ["outcome"] as const,
    buckets: SECOND_BUCKETS,
    registers: [registry],
  });
  const deliveryLatency = new Histogram({
    name: "claimwire_worker_delivery_latency_seconds",
    help: "From the commit of the status change to the 2xx of its delivery",
    labelNames: ["attempt", "trigger"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: "claimwire_worker_in_flight",
    help: "Delivery requests in flight in this worker",
    registers: [registry],
  });
  const reportFailures = new Counter({
    name: "claimwire_worker_report_failures_total",
    help: "Attempt reports that could not be published; their tasks are retried",
    registers: [registry],
  });

  return {
    registry,
    inFlight,
    reportFailures,
    recordAttempt(report, task, { sent }) {
      attempts.inc({ outcome: report.outcome, error_class: report.errorClass ?? "none" });
      if (sent) attemptDuration.observe({ outcome: report.outcome }, report.durationMs / 1000);
      if (report.outcome !== "delivered") return;
      const finishedAt = Date.parse(report.startedAt) + report.durationMs;
      const latencySeconds = Math.max(0, finishedAt - Date.parse(task.committedAt)) / 1000;
      const attempt = task.attemptNumber === 1 ? "first" : "retry";
      deliveryLatency.observe({ attempt, trigger: task.trigger }, latencySeconds);
    },
  };
}
