import type { Bench } from "../bench-system.ts";
import { startCountingReceiver } from "../counting-receiver.ts";
import { closedLoop, sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { percentile, round } from "../stats.ts";

export type FanOutResult = {
  endpoints: number;
  /** Commit of the one event → each endpoint's 2xx, ms. */
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  lastMs: number;
  deliveriesPerSec: number;
};

/**
 * One event to `endpoints` endpoints of one clinic (each its own
 * subscription, all served by one receiver in the benchmark process, so the receiver is
 * not what is measured).
 */
export async function measureFanOut(
  bench: Bench,
  progress: Progress,
  opts: { endpoints: number },
): Promise<FanOutResult> {
  const receiver = await startCountingReceiver();
  try {
    const clinic = await bench.newClinic("Bench fan-out clinic");
    progress.phase(`fan-out: creating ${opts.endpoints} endpoints`, opts.endpoints);
    const created = await closedLoop(
      opts.endpoints,
      8,
      (i) => bench.createEndpoint(clinic, `${receiver.url}/${i}`),
      (n) => progress.tick(n),
    );
    if (created.failures > 0) throw new Error(`${created.failures} endpoints were not created`);
    await sleep(500);

    progress.phase(`fan-out: one event to ${opts.endpoints} endpoints`, opts.endpoints);
    const afterSeq = bench.lastSeq();
    await bench.submit(clinic);
    const deadline = Date.now() + 120_000;
    while (receiver.arrivalsByPath.size < opts.endpoints && Date.now() < deadline) {
      progress.tick(receiver.arrivalsByPath.size);
      await sleep(100);
    }
    const [committed] = [...bench.commitTimes(clinic.id, afterSeq).values()];
    if (committed === undefined) throw new Error("the fan-out event was not committed");
    const offsets = [...receiver.arrivalsByPath.values()].map((at) => at - committed);
    if (offsets.length < opts.endpoints) {
      throw new Error(`only ${offsets.length}/${opts.endpoints} endpoints received the event`);
    }
    const lastMs = percentile(offsets, 100);
    return {
      endpoints: opts.endpoints,
      firstMs: percentile(offsets, 0),
      p50Ms: percentile(offsets, 50),
      p99Ms: percentile(offsets, 99),
      lastMs,
      deliveriesPerSec: round(opts.endpoints / (lastMs / 1000)),
    };
  } finally {
    await receiver.close();
  }
}
