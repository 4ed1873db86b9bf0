import type { LatencyBucket, OutcomeBucket } from "@claimwire/contracts";
import { plural } from "../format.ts";

/** How long each bucket of an outcome chart lasts (the API's buckets are UTC-aligned). */
export type Grain = "minute" | "hour" | "day";

/** The outcomes an attempt can have, in the order charts and tables show them. */
export const OUTCOMES = ["succeeded", "retried", "failed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  succeeded: "Succeeded",
  retried: "Failed, retried",
  failed: "Failed, not retried",
};

const LABEL_FORMATS: Record<Grain, Intl.DateTimeFormat> = {
  minute: new Intl.DateTimeFormat(undefined, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }),
  hour: new Intl.DateTimeFormat(undefined, {
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }),
  // Days are UTC days: labelled in UTC, so that a day is not named after the one before.
  day: new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", timeZone: "UTC" }),
};

/** A bucket's start as people read it: "14:05", "3 Dec, 14:00" (local time), "3 Dec" (UTC day). */
export function bucketLabel(startIso: string, grain: Grain): string {
  return LABEL_FORMATS[grain].format(new Date(startIso));
}

export function attemptsIn(bucket: OutcomeBucket): number {
  return bucket.succeeded + bucket.retried + bucket.failed;
}

export function outcomeTotals(buckets: OutcomeBucket[]): Record<Outcome, number> {
  const totals = { succeeded: 0, retried: 0, failed: 0 };
  for (const bucket of buckets) for (const outcome of OUTCOMES) totals[outcome] += bucket[outcome];
  return totals;
}

/**
 * What an outcome chart shows, in one sentence (its accessible description):
 * "12 attempts: 8 succeeded, 3 failed and retried, 1 failed without a retry."
 */
export function outcomeSummary(buckets: OutcomeBucket[]): string {
  const totals = outcomeTotals(buckets);
  const all = totals.succeeded + totals.retried + totals.failed;
  if (all === 0) return "No attempts.";
  return `${plural(all, "attempt")}: ${totals.succeeded} succeeded, ${totals.retried} failed and retried, ${totals.failed} failed without a retry.`;
}

/**
 * The outcomes from the top of a stacked bar down: each bar is drawn from zero, the
 * tallest first, so that the shorter ones in front of it leave its top showing.
 */
export const STACK_ORDER = [...OUTCOMES].reverse() as Outcome[];

/**
 * The columns uPlot draws for stacked bars: x in seconds since the epoch (uPlot's time
 * scale), then per outcome of STACK_ORDER the height of its bar's top: its own count
 * plus those of the outcomes below it.
 */
export function stackedColumns(buckets: OutcomeBucket[]): [number[], ...number[][]] {
  return [
    buckets.map((b) => Date.parse(b.start) / 1000),
    ...STACK_ORDER.map((outcome) =>
      buckets.map((b) =>
        OUTCOMES.slice(0, OUTCOMES.indexOf(outcome) + 1).reduce((sum, o) => sum + b[o], 0),
      ),
    ),
  ];
}

/** The table beside a chart: buckets with attempts only (empty ones would bury them). */
export function busyBuckets(buckets: OutcomeBucket[]): OutcomeBucket[] {
  return buckets.filter((b) => attemptsIn(b) > 0);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

/** "0–50 ms", "500–1000 ms", "1 s–2.5 s", "10 s or more". */
export function latencyLabel({ minMs, maxMs }: LatencyBucket): string {
  if (maxMs === null) return `${formatMs(minMs)} or more`;
  return maxMs <= 1000 ? `${minMs}–${maxMs} ms` : `${formatMs(minMs)}–${formatMs(maxMs)}`;
}

/**
 * The histogram in one sentence: how many attempts, and the bucket most fell in.
 * "14 attempts; most (9) took 100–250 ms."
 */
export function latencySummary(latency: LatencyBucket[]): string {
  const all = latency.reduce((n, b) => n + b.attempts, 0);
  if (all === 0) return "No attempts.";
  const top = latency.reduce((best, b) => (b.attempts > best.attempts ? b : best));
  return `${plural(all, "attempt")}; most (${top.attempts}) took ${latencyLabel(top)}.`;
}
