import type { Bench } from "../bench-system.ts";
import { closedLoop, openLoop, sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { type Percentiles, percentile, percentiles, round } from "../stats.ts";

export type LatencyAtRate = {
  /** Share of the measured end-to-end maximum offered. */
  shareOfMax: number;
  ratePerSec: number;
  durationMs: number;
  /** Commit (insurer's transaction) → the clinic receiver's 2xx, in ms. */
  commitTo2xxMs: Percentiles;
  failures: number;
  /** Where the time goes, stage by stage (median and p99 of each, ms). */
  stages: StageBreakdown;
};

export type StageBreakdown = Record<
  "commitToDispatched" | "dispatchedToPostStarted" | "postStartedTo2xx",
  { p50: number; p99: number }
>;

/**
 * Claims submitted on a fixed schedule (open loop) at a share of the
 * end-to-end maximum; each event's latency is its commit time in the insurer's outbox
 * to its arrival in the clinic's inbox (stored before the 204), both on this machine's
 * clock, read from the two databases afterwards so measuring adds no work on the path.
 */
export async function measureLatency(
  bench: Bench,
  progress: Progress,
  opts: { maxRatePerSec: number; shareOfMax: number; durationMs: number },
): Promise<LatencyAtRate> {
  const ratePerSec = Math.max(1, opts.maxRatePerSec * opts.shareOfMax);
  const expected = Math.max(1, Math.round((ratePerSec * opts.durationMs) / 1000));
  progress.phase(
    `latency: ${Math.round(opts.shareOfMax * 100)}% of max (${round(ratePerSec)}/s)`,
    expected,
  );
  const afterSeq = bench.lastSeq();
  const result = await runPaced(bench, ratePerSec, opts.durationMs, (n) => progress.tick(n));
  await sleep(1_000); // attempt reports reach the insurer after the 2xx
  return {
    shareOfMax: opts.shareOfMax,
    ratePerSec: round(ratePerSec),
    durationMs: opts.durationMs,
    commitTo2xxMs: result.commitTo2xxMs,
    failures: result.failures,
    stages: stageBreakdown(bench, afterSeq),
  };
}

/**
 * The path split at the timestamps both sides already record (ms resolution):
 * "dispatched" is when the dispatcher claimed attempt 1 (its publish follows at once).
 */
export function stageBreakdown(bench: Bench, afterSeq: number): StageBreakdown {
  const timeline = bench.deliveryTimeline(bench.clinic.id, afterSeq);
  const arrivals = bench.inboxTimes(new Set(timeline.keys()));
  const stages = {
    commitToDispatched: [] as number[],
    dispatchedToPostStarted: [] as number[],
    postStartedTo2xx: [] as number[],
  };
  for (const [id, t] of timeline) {
    const arrived = arrivals.get(id);
    if (arrived === undefined) continue;
    stages.commitToDispatched.push(t.dispatched - t.committed);
    stages.dispatchedToPostStarted.push(t.postStarted - t.dispatched);
    stages.postStartedTo2xx.push(arrived - t.postStarted);
  }
  const summary = (values: number[]) => ({
    p50: percentile(values, 50),
    p99: percentile(values, 99),
  });
  return {
    commitToDispatched: summary(stages.commitToDispatched),
    dispatchedToPostStarted: summary(stages.dispatchedToPostStarted),
    postStartedTo2xx: summary(stages.postStartedTo2xx),
  };
}

/** Paced submits for the clinic process's clinic; returns commit → 2xx of each event. */
export async function runPaced(
  bench: Bench,
  ratePerSec: number,
  durationMs: number,
  onDone?: (n: number) => void,
): Promise<{ commitTo2xxMs: Percentiles; failures: number; samples: number[] }> {
  const afterSeq = bench.lastSeq();
  const run = await openLoop(ratePerSec, durationMs, () => bench.submit(bench.clinic), onDone);
  const commits = bench.commitTimes(bench.clinic.id, afterSeq);
  const ids = new Set(commits.keys());
  const deadline = Date.now() + 60_000;
  let arrivals = bench.inboxTimes(ids);
  while (arrivals.size < ids.size && Date.now() < deadline) {
    await sleep(200);
    arrivals = bench.inboxTimes(ids);
  }
  const samples = [...arrivals].map(([id, at]) => at - commits.get(id)!);
  return {
    commitTo2xxMs: percentiles(samples),
    failures: run.failures + (ids.size - arrivals.size),
    samples,
  };
}

export type BurstResult = {
  events: number;
  /** From the first commit to the last, ms: how fast the API took the burst. */
  commitSpanMs: number;
  commitTo2xxMs: Percentiles;
  stages: StageBreakdown;
};

/**
 * `events` claims submitted all at once (a 200-event burst): how
 * long the whole burst takes to clear, and where each event waits.
 */
export async function measureBurst(
  bench: Bench,
  progress: Progress,
  opts: { events: number },
): Promise<BurstResult> {
  progress.phase(`latency: a burst of ${opts.events} at once`, opts.events);
  const afterSeq = bench.lastSeq();
  const before = bench.inboxCount();
  await closedLoop(opts.events, opts.events, () => bench.submit(bench.clinic));
  const deadline = Date.now() + 60_000;
  while (bench.inboxCount() - before < opts.events && Date.now() < deadline) {
    progress.tick(bench.inboxCount() - before);
    await sleep(100);
  }
  await sleep(1_000); // attempt reports reach the insurer after the 2xx
  const commits = bench.commitTimes(bench.clinic.id, afterSeq);
  const arrivals = bench.inboxTimes(new Set(commits.keys()));
  const committedAt = [...commits.values()];
  return {
    events: opts.events,
    commitSpanMs: Math.max(...committedAt) - Math.min(...committedAt),
    commitTo2xxMs: percentiles([...arrivals].map(([id, at]) => at - commits.get(id)!)),
    stages: stageBreakdown(bench, afterSeq),
  };
}
