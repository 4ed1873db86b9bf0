import type { Bench } from "../bench-system.ts";
import { startCountingReceiver } from "../counting-receiver.ts";
import { closedLoop, sleep } from "../load.ts";
import type { Progress } from "../progress.ts";
import { rssMb, sampleRss } from "../rss.ts";
import { round } from "../stats.ts";
import { type Handouts, watchHandouts } from "./handouts.ts";

export type RssTable = Record<string, number>;

export type BacklogResult = {
  backlog: number;
  /** Messages waiting in the DELIVERIES stream once the backlog was built. */
  queuedTasks: number;
  buildPerSec: number;
  drainPerSec: number;
  /** Peak RSS (MB) of each process while the backlog was built and waited (no worker). */
  rssWhileQueuedMb: RssTable;
  /** Peak RSS (MB) of each process while a fresh worker drained it. */
  rssWhileDrainingMb: RssTable;
  /** How often the delivery consumer handed each task out while the worker drained. */
  handouts: Handouts;
};

export function rssNow(pids: Record<string, number>): RssTable {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, round(rssMb(pid))]));
}

/**
 * A backlog of `backlog` delivery tasks. The delivery worker is stopped,
 * `backlog` events are committed for a clinic with one endpoint (a receiver in the
 * benchmark process) and nothing takes them: the dispatcher queues up to the endpoint's
 * in-flight window on DELIVERIES and the rest wait as rows in SQLite (`queuedTasks` says
 * how many reached the stream); then a new worker starts and drains them. RSS is
 * sampled throughout.
 */
export async function measureBacklog(
  bench: Bench,
  progress: Progress,
  pids: () => Record<string, number>,
  opts: { backlog: number },
): Promise<BacklogResult> {
  const receiver = await startCountingReceiver();
  try {
    const clinic = await bench.newClinic("Bench backlog clinic");
    await bench.createEndpoint(clinic, receiver.url);
    await bench.system.worker.kill();

    progress.phase(`backlog: ${opts.backlog} events committed, no worker running`, opts.backlog);
    const queued = sampleRss(pids());
    const build = await closedLoop(
      opts.backlog,
      64,
      () => bench.submit(clinic),
      (n) => progress.tick(n),
    );
    if (build.failures > 0) throw new Error(`${build.failures} backlog submits failed`);
    const deliveries = async () =>
      (await bench.queue.jsm.streams.info("DELIVERIES")).state.messages;
    // Until the stream holds them all, or stops growing at the endpoint's window.
    const deadline = Date.now() + 300_000;
    let queuedTasks = await deliveries();
    for (let before = -1; queuedTasks < opts.backlog && Date.now() < deadline; ) {
      await sleep(1_000);
      before = queuedTasks;
      queuedTasks = await deliveries();
      if (queuedTasks === before) break;
    }
    await sleep(1_000);
    const rssWhileQueuedMb = roundAll(queued.stop());

    progress.phase("backlog: a new worker drains it", opts.backlog);
    const draining = sampleRss(pids());
    const handouts = watchHandouts(bench.queue);
    bench.system.worker = await bench.system.startWorker();
    draining.add("worker", bench.system.worker.pid);
    // From the moment the new worker consumes (its start-up is not the drain's).
    const drainStarted = Date.now();
    while (receiver.arrivals.size < opts.backlog && Date.now() < drainStarted + 600_000) {
      progress.tick(receiver.arrivals.size);
      await sleep(100);
    }
    const lastArrival = Math.max(...receiver.arrivals.values());
    const rssWhileDrainingMb = roundAll(draining.stop());
    await sleep(1_000); // the last acks
    return {
      backlog: opts.backlog,
      queuedTasks,
      buildPerSec: round(opts.backlog / (build.elapsedMs / 1000)),
      drainPerSec: round(receiver.arrivals.size / ((lastArrival - drainStarted) / 1000)),
      rssWhileQueuedMb,
      rssWhileDrainingMb,
      handouts: await handouts.stop(),
    };
  } finally {
    await receiver.close();
  }
}

function roundAll(table: Record<string, number>): RssTable {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, round(v)]));
}
