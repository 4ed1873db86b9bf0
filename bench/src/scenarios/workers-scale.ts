import { readInsurerDb, type ServiceProcess } from "@claimwire/e2e/harness";
import type { Bench, Clinic } from "../bench-system.ts";
import { startCpuMeter } from "../cpu-time.ts";
import { closedLoop, sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { type SlowReceiver, startSlowReceiver, totalCount } from "../slow-receiver.ts";
import { round } from "../stats.ts";

export type WorkersScaleRun = {
  workers: number;
  deliveries: number;
  /** POSTs answered by the receivers a second, from the first submit to the last arrival. */
  deliveriesPerSec: number;
  /** This rate over the one-worker rate (goal for 2 workers: ≥ 1.6). */
  overOneWorker: number;
  /** Reports the insurer recorded a second, from the first submit until it had recorded every one. */
  recordedPerSec: number;
  /** Cores each process kept busy over the same span (CPU-ms per wall ms); `total` sums them. */
  cores: Record<string, number>;
};

export type WorkersScaleResult = {
  receiverDelayMs: number;
  receivers: number;
  endpoints: number;
  eventsPerRun: number;
  /** The insurer's in-flight window per endpoint, times the endpoints: what may be dispatched at once. */
  windowTotal: number;
  runs: WorkersScaleRun[];
};

/**
 * Deliveries per second with 1, 2, … delivery worker processes against receivers that
 * take `receiverDelayMs` to answer (bare Node processes, slow-receiver.ts), on a system of
 * the phase's own. One clinic with `endpoints` endpoints spread over the receivers: each
 * submitted event fans out to every endpoint, so a few hundred API calls (64 at once) queue
 * thousands of deliveries; the rate is taken from the first submit to the last arrival,
 * with every process's CPU over that span. The insurer's window per endpoint is
 * set so that the whole backlog may be dispatched at once: the window counts a delivery
 * until its report is recorded, and the insurer records reports slower than workers
 * deliver, so a smaller window would measure the recorder, not the workers. That
 * recording rate is reported beside.
 */
export async function measureWorkersScale(
  bench: Bench,
  progress: Progress,
  opts: {
    workerCounts: number[];
    endpoints: number;
    events: number;
    receivers: number;
    receiverDelayMs: number;
    windowPerEndpoint: number;
    warmUpEvents: number;
  },
): Promise<WorkersScaleResult> {
  const receivers: SlowReceiver[] = [];
  const extraWorkers: ServiceProcess[] = [];
  try {
    for (let i = 0; i < opts.receivers; i++) {
      receivers.push(await startSlowReceiver(opts.receiverDelayMs));
    }
    const clinic = await bench.newClinic("Bench workers-scale clinic");
    progress.phase(`workers: creating ${opts.endpoints} endpoints`, opts.endpoints);
    const created = await closedLoop(
      opts.endpoints,
      8,
      (i) => bench.createEndpoint(clinic, `${receivers[i % receivers.length]?.url}/endpoint-${i}`),
      (n) => progress.tick(n),
    );
    if (created.failures > 0) throw new Error(`${created.failures} endpoints were not created`);
    await sleep(500);
    const recorded = () => deliveredCount(bench, clinic);

    const runs: WorkersScaleRun[] = [];
    const deliveries = opts.events * opts.endpoints;
    for (const count of opts.workerCounts) {
      while (1 + extraWorkers.length < count) extraWorkers.push(await bench.system.startWorker());
      const workers = [bench.system.worker, ...extraWorkers];
      // A fresh worker compiles and optimises its code on its first deliveries.
      progress.phase(`workers: ${count} worker(s), warming up`);
      const warmUp = opts.warmUpEvents * opts.endpoints;
      const warmFrom = recorded();
      const warmed = await closedLoop(opts.warmUpEvents, 64, () => bench.submit(clinic));
      if (warmed.failures > 0) throw new Error(`${warmed.failures} warm-up submits failed`);
      await waitUntil(() => recorded() - warmFrom >= warmUp, `${warmUp} warm-up deliveries`);

      progress.phase(`workers: ${count} worker(s), ${deliveries} deliveries`, deliveries);
      const before = (await totalCount(receivers)).posts;
      const recordedBefore = recorded();
      const meter = startCpuMeter({
        insurer: bench.system.insurer.pid,
        ...Object.fromEntries(workers.map((w, i) => [`worker ${i + 1}`, w.pid])),
        ...Object.fromEntries(receivers.map((r, i) => [`receiver ${i + 1}`, r.pid])),
        ...bench.natsPids(),
        "bench (load generator)": process.pid,
      });
      const submitStart = Date.now();
      const submitting = closedLoop(opts.events, 64, () => bench.submit(clinic));
      let total = await totalCount(receivers);
      await waitUntil(async () => {
        total = await totalCount(receivers);
        progress.tick(total.posts - before);
        return total.posts - before >= deliveries;
      }, `${deliveries} deliveries at the receivers`);
      const used = meter.stop();
      const submitted = await submitting;
      if (submitted.failures > 0) throw new Error(`${submitted.failures} submits failed`);
      const wallMs = total.last - submitStart;
      const perSec = deliveries / (wallMs / 1000);
      const cores = Object.fromEntries(
        Object.entries(used).map(([name, ms]) => [name, round(ms / wallMs, 2)]),
      );
      cores.total = round(
        Object.values(used).reduce((sum, ms) => sum + (Number.isFinite(ms) ? ms : 0), 0) / wallMs,
        2,
      );
      progress.phase(`workers: ${count} worker(s), the insurer records the reports`);
      await waitUntil(
        () => recorded() - recordedBefore >= deliveries,
        `${deliveries} reports recorded`,
      );
      const recordedPerSec = deliveries / ((Date.now() - submitStart) / 1000);
      const one = runs[0]?.deliveriesPerSec ?? perSec;
      runs.push({
        workers: count,
        deliveries,
        deliveriesPerSec: round(perSec),
        overOneWorker: round(perSec / one, 2),
        recordedPerSec: round(recordedPerSec),
        cores,
      });
      progress.log(
        `  ${count} worker(s): ${round(perSec)} deliveries/s (${round(perSec / one, 2)}× one), recorded ${round(recordedPerSec)}/s, cores ${JSON.stringify(cores)}`,
      );
    }
    return {
      receiverDelayMs: opts.receiverDelayMs,
      receivers: opts.receivers,
      endpoints: opts.endpoints,
      eventsPerRun: opts.events,
      windowTotal: opts.windowPerEndpoint * opts.endpoints,
      runs,
    };
  } finally {
    await Promise.all(extraWorkers.map((w) => w.kill()));
    await Promise.all(receivers.map((r) => r.stop()));
  }
}

/** Deliveries of the clinic the insurer has recorded as delivered. */
function deliveredCount(bench: Bench, clinic: Clinic): number {
  return readInsurerDb(
    bench.system.insurerDbPath,
    (db) =>
      (
        db
          .prepare(
            `SELECT count(*) AS n FROM deliveries d JOIN endpoints e ON e.id = d.endpoint_id
              WHERE e.clinic_id = ? AND d.status = 'delivered'`,
          )
          .get(clinic.id) as { n: number }
      ).n,
  );
}

async function waitUntil(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
