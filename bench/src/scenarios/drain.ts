import { readInsurerDb } from "@claimwire/e2e/harness";
import type { Bench } from "../bench-system.ts";
import { startCountingReceiver } from "../counting-receiver.ts";
import { closedLoop, sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { percentile, round } from "../stats.ts";
import { runPaced } from "./latency.ts";

export type DrainResult = {
  backlog: number;
  drainPerSec: number;
  /** Drain rate over the end-to-end maximum (goal ≥ 0.8). */
  drainOverMax: number;
  /** The other clinic, paced at `otherRatePerSec`: commit → 2xx p99 before and during the drain. */
  otherRatePerSec: number;
  otherP99BeforeMs: number;
  otherP99DuringMs: number;
  otherP50BeforeMs: number;
  otherP50DuringMs: number;
  /** during / before (goal ≤ 2). */
  otherP99Ratio: number;
};

/**
 * Clinic B is down longer than the retry schedule: its endpoint is
 * disabled (what the disable policy does after ENDPOINT_DISABLE_AFTER_MS) and its
 * deliveries are dead-lettered as they are fanned out. When B is back, it is enabled and
 * recovered (`endpoints.recover`): the retry scheduler re-queues the backlog in batches.
 * Meanwhile clinic A (the clinic process) gets paced traffic, and its latency is compared
 * with the same traffic just before.
 */
export async function measureDrain(
  bench: Bench,
  progress: Progress,
  opts: { backlog: number; maxRatePerSec: number; otherShareOfMax: number; baselineMs: number },
): Promise<DrainResult> {
  const receiver = await startCountingReceiver();
  try {
    const clinicB = await bench.newClinic("Bench clinic B (outage)");
    const endpoint = await bench.createEndpoint(clinicB, receiver.url);
    const otherRate = Math.max(1, opts.maxRatePerSec * opts.otherShareOfMax);

    progress.phase(
      "drain: clinic A alone (baseline)",
      Math.round((otherRate * opts.baselineMs) / 1000),
    );
    const before = await runPaced(bench, otherRate, opts.baselineMs, (n) => progress.tick(n));

    progress.phase(`drain: clinic B down, ${opts.backlog} events pile up`, opts.backlog);
    receiver.setUp(false);
    const since = new Date().toISOString();
    await bench.api.mutate("endpoints.disable", { endpointId: endpoint.id }, clinicB.apiKey);
    const built = await closedLoop(
      opts.backlog,
      64,
      () => bench.submit(clinicB),
      (n) => progress.tick(n),
    );
    if (built.failures > 0) throw new Error(`${built.failures} backlog submits failed`);
    const failedCount = () =>
      readInsurerDb(
        bench.system.insurerDbPath,
        (db) =>
          (
            db
              .prepare(
                "SELECT count(*) AS n FROM deliveries WHERE endpoint_id = ? AND status = 'failed'",
              )
              .get(endpoint.id) as { n: number }
          ).n,
      );
    const deadline = Date.now() + 120_000;
    while (failedCount() < opts.backlog && Date.now() < deadline) await sleep(200);

    progress.phase("drain: clinic B back, backlog delivered", opts.backlog);
    receiver.setUp(true);
    await bench.api.mutate("endpoints.enable", { endpointId: endpoint.id }, clinicB.apiKey);
    const recoveredAt = Date.now();
    const recovered = await bench.api.mutate<{ count: number }>(
      "endpoints.recover",
      { endpointId: endpoint.id, since },
      clinicB.apiKey,
    );
    if (recovered.count !== opts.backlog) {
      throw new Error(`recovered ${recovered.count} deliveries, expected ${opts.backlog}`);
    }
    // Clinic A's traffic runs for as long as the drain should take at the maximum rate.
    const expectedMs = Math.max(3_000, (opts.backlog / opts.maxRatePerSec) * 1000);
    const during = runPaced(bench, otherRate, expectedMs);
    const drainDeadline = Date.now() + 300_000;
    while (receiver.arrivals.size < opts.backlog && Date.now() < drainDeadline) {
      progress.tick(receiver.arrivals.size);
      await sleep(100);
    }
    const lastArrival = Math.max(...receiver.arrivals.values());
    const duringOther = await during;
    const drainPerSec = receiver.arrivals.size / ((lastArrival - recoveredAt) / 1000);
    const p99Before = before.commitTo2xxMs.p99;
    const p99During = percentile(duringOther.samples, 99);
    return {
      backlog: opts.backlog,
      drainPerSec: round(drainPerSec),
      drainOverMax: round(drainPerSec / opts.maxRatePerSec, 3),
      otherRatePerSec: round(otherRate),
      otherP99BeforeMs: p99Before,
      otherP99DuringMs: p99During,
      otherP50BeforeMs: before.commitTo2xxMs.p50,
      otherP50DuringMs: percentile(duringOther.samples, 50),
      otherP99Ratio: round(p99During / p99Before, 2),
    };
  } finally {
    await receiver.close();
  }
}
