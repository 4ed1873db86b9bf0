import type { Bench } from "../bench-system.ts";
import { startCpuMeter } from "../cpu-time.ts";
import type { Progress } from "../progress.ts";
import { median, round } from "../stats.ts";
import { endToEnd, settle } from "./throughput.ts";

export type ClusterEndToEndResult = {
  events: number;
  concurrency: number;
  singlePerSec: number;
  clusterPerSec: number;
  /** cluster / single (goal ≥ 0.6). */
  clusterOverSingle: number;
  rounds: { singlePerSec: number; clusterPerSec: number }[];
  /** CPU-ms per event of each process in the last round (and `total`). */
  cpuMsPerEvent: { single: Record<string, number>; cluster: Record<string, number> };
  /** Cores kept busy in the last round (all processes' CPU-ms per wall ms). */
  cores: { single: number; cluster: number };
};

/**
 * The end-to-end phase of throughput.ts (claims submitted through the insurer API until
 * the clinic has stored every webhook) on two fresh systems alike but for NATS: one on a
 * single nats-server, one on a three-node cluster with NATS_REPLICAS=3, where every
 * publish and ack is replicated to a second node before it is confirmed. Alternating
 * rounds, so a noisy neighbour hurts both alike; the medians are compared.
 */
export async function measureClusterEndToEnd(
  single: Bench,
  cluster: Bench,
  progress: Progress,
  opts: { events: number; concurrency: number; rounds: number; warmUpEvents: number },
  loadGeneratorPid: number,
): Promise<ClusterEndToEndResult> {
  // Fresh processes compile and optimise their code on the first few hundred calls (the
  // main system warms up in the phases before its end-to-end run): not part of the rate.
  for (const bench of [single, cluster]) {
    progress.phase("cluster: warming up both systems", opts.warmUpEvents);
    await endToEnd(bench, opts.warmUpEvents, opts.concurrency, (n) => progress.tick(n));
    await settle(bench);
  }
  const rounds: ClusterEndToEndResult["rounds"] = [];
  const cpuMsPerEvent = { single: {}, cluster: {} } as ClusterEndToEndResult["cpuMsPerEvent"];
  const cores = { single: 0, cluster: 0 };
  const pids = (bench: Bench) => ({
    insurer: bench.system.insurer.pid,
    worker: bench.system.worker.pid,
    clinic: bench.system.clinic.pid,
    ...bench.natsPids(),
    "bench (load generator)": loadGeneratorPid,
  });
  for (let r = 0; r < opts.rounds; r++) {
    const perSec = { single: 0, cluster: 0 };
    for (const [name, bench] of [
      ["single", single],
      ["cluster", cluster],
    ] as const) {
      progress.phase(
        `cluster: round ${r + 1}/${opts.rounds}, end to end on ${name === "single" ? "one nats-server" : "three nodes, replicas 3"}`,
        opts.events,
      );
      const meter = startCpuMeter(pids(bench));
      const startedAt = Date.now();
      perSec[name] = await endToEnd(bench, opts.events, opts.concurrency, (n) => progress.tick(n));
      const wallMs = Date.now() - startedAt;
      const used = meter.stop();
      const sum = Object.values(used).reduce((s, ms) => s + (Number.isFinite(ms) ? ms : 0), 0);
      cpuMsPerEvent[name] = {
        ...Object.fromEntries(
          Object.entries(used).map(([p, ms]) => [p, round(ms / opts.events, 2)]),
        ),
        total: round(sum / opts.events, 2),
      };
      cores[name] = round(sum / wallMs, 2);
      await settle(bench);
    }
    rounds.push({ singlePerSec: round(perSec.single), clusterPerSec: round(perSec.cluster) });
    progress.log(
      `  round ${r + 1}: end to end on one nats-server ${round(perSec.single)}/s, on three nodes (replicas 3) ${round(perSec.cluster)}/s`,
    );
  }
  const singlePerSec = median(rounds.map((x) => x.singlePerSec));
  const clusterPerSec = median(rounds.map((x) => x.clusterPerSec));
  return {
    events: opts.events,
    concurrency: opts.concurrency,
    singlePerSec,
    clusterPerSec,
    clusterOverSingle: round(clusterPerSec / singlePerSec, 2),
    rounds,
    cpuMsPerEvent,
    cores,
  };
}
