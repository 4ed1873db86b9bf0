import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "@claimwire/e2e/harness";
import { Pool } from "undici";
import { parseArgs } from "./args.ts";
import { startBenchCluster } from "./bench-cluster.ts";
import { startBench } from "./bench-system.ts";
import { closedLoop } from "./load.ts";
import { createProgress } from "./progress.ts";
import { renderChart } from "./report/chart.ts";
import { describeMachine } from "./report/machine.ts";
import { renderMarkdown } from "./report/markdown.ts";
import type { BenchResults } from "./results.ts";
import { rssMb, sampleRss, startBareNodeServer } from "./rss.ts";
import { measureClusterEndToEnd } from "./scenarios/cluster-end-to-end.ts";
import { measureDrain } from "./scenarios/drain.ts";
import { measureFailover } from "./scenarios/failover.ts";
import { measureFanOut } from "./scenarios/fan-out.ts";
import { measureBurst, measureLatency } from "./scenarios/latency.ts";
import { measureBacklog, rssNow } from "./scenarios/memory.ts";
import { measureStores, STORE_SETUPS, type StoreSetup } from "./scenarios/stores.ts";
import { measureThroughput, settle } from "./scenarios/throughput.ts";
import { measureWatchers } from "./scenarios/watchers.ts";
import { measureWorkersScale } from "./scenarios/workers-scale.ts";
import { writeProfiles } from "./start-processes.ts";
import { round } from "./stats.ts";

// `pnpm bench [-- --quick] [--backlog=N] [--only=throughput,...,workers,cluster,failover,stores]
// [--worker-concurrency=N]`: every figure
// docs/benchmarks states a goal for, from one run of the real processes on this machine.

// Every spawned process (the cluster phases start many) adds an exit listener.
process.setMaxListeners(50);

// pnpm passes a literal "--" through to the script.
const flags = process.argv.slice(2).filter((arg) => arg !== "--");
const args = parseArgs(flags);
const runs = (name: string) => !args.only || args.only.has(name);
const q = args.quick;
const sizes = {
  physicalPosts: q ? 1_000 : 8_000,
  endToEndEvents: q ? 500 : 4_000,
  rounds: q ? 1 : 2,
  latencyMs: q ? 2_000 : 10_000,
  burstEvents: q ? 50 : 200,
  fanOutEndpoints: q ? 100 : 1_000,
  drainBacklog: q ? 200 : 3_000,
  watcherClinics: q ? 2 : 5,
  claimsPerClinic: q ? 10 : 40,
  watcherWindowMs: q ? 6_000 : 40_000,
  pollIntervalsMs: q ? [1_000] : [1_000, 10_000, 60_000],
  // Workers scale out: events × endpoints deliveries per worker count.
  scaleWorkerCounts: [1, 2, 4],
  scaleEvents: q ? 60 : 120,
  scaleEndpoints: 32,
  // The end-to-end phase's load, half as many events a round (two systems, two rounds).
  clusterEvents: q ? 500 : 2_000,
  clusterRounds: q ? 1 : 2,
  failoverRepetitions: q ? 1 : 3,
  failoverRatePerSec: 40,
  // The insurer on SQLite, on PostgreSQL and twice on PostgreSQL: events a phase, rounds.
  storesEvents: q ? 500 : 2_000,
  storesRounds: q ? 1 : 2,
  takeoverRepetitions: q ? 1 : 3,
  takeoverRatePerSec: 40,
};

const machine = describeMachine();
const progress = createProgress({
  start: { weight: 1, phases: 1 },
  throughput: { weight: 4, phases: 3 * sizes.rounds },
  latency: { weight: 3, phases: 3 },
  "fan-out": { weight: 2, phases: 2 },
  drain: { weight: 3, phases: 3 },
  watchers: { weight: q ? 3 : 6, phases: 2 },
  backlog: { weight: 5, phases: 2 },
  workers: { weight: 3, phases: 2 + 3 * sizes.scaleWorkerCounts.length },
  cluster: { weight: 4, phases: 2 * sizes.clusterRounds },
  failover: { weight: 3, phases: sizes.failoverRepetitions },
  stores: { weight: 5, phases: 3 + 6 * sizes.storesRounds + sizes.takeoverRepetitions },
});
const startedAt = new Date();
progress.phase("start: nats-server, insurer, delivery worker, clinic, a bare Node server");
const bare = await startBareNodeServer();
const bench = await startBench();
const pids = () => ({
  insurer: bench.system.insurer.pid,
  worker: bench.system.worker.pid,
  clinic: bench.system.clinic.pid,
  "nats-server": bench.natsPid,
  "bare node http server": bare.pid,
});
const results: BenchResults = {
  command: `pnpm bench${flags.length > 0 ? ` -- ${flags.join(" ")}` : ""}`,
  startedAt: startedAt.toISOString(),
  finishedAt: "",
  machine,
  sizes,
  throughput: null,
  latency: [],
  burst: null,
  fanOut: null,
  drain: null,
  watchers: null,
  workersScale: null,
  clusterEndToEnd: null,
  failover: null,
  stores: null,
  memory: { idleMb: {}, steadyMb: {}, bareUnderLoadMb: null, backlog: null },
};
try {
  results.memory.idleMb = rssNow(pids());
  // The end-to-end maximum is what latency and drain are measured against.
  let max = Number.NaN;
  if (runs("throughput") || runs("latency") || runs("drain")) {
    const quiet = await bench.newClinic("Bench quiet clinic (no endpoints)");
    const throughput = await measureThroughput(
      bench,
      quiet,
      progress,
      {
        physicalPosts: sizes.physicalPosts,
        endToEndEvents: sizes.endToEndEvents,
        concurrency: 64,
        rounds: sizes.rounds,
        bareUrl: bare.url,
      },
      () => ({ ...pids(), "bench (load generator)": process.pid }),
    );
    results.throughput = throughput;
    max = throughput.endToEndPerSec;
  }

  if (runs("latency")) {
    for (const share of [0.1, 0.5]) {
      const steady = share === 0.5 ? sampleRss(pids()) : undefined;
      const latency = await measureLatency(bench, progress, {
        maxRatePerSec: max,
        shareOfMax: share,
        durationMs: sizes.latencyMs,
      });
      if (steady) results.memory.steadyMb = roundAll(steady.stop());
      results.latency.push(latency);
      progress.log(
        `  latency at ${share * 100}%: p50 ${latency.commitTo2xxMs.p50} ms, p95 ${latency.commitTo2xxMs.p95} ms, p99 ${latency.commitTo2xxMs.p99} ms`,
      );
      await settle(bench);
    }
    results.burst = await measureBurst(bench, progress, { events: sizes.burstEvents });
    progress.log(`  burst of ${sizes.burstEvents}: ${JSON.stringify(results.burst.commitTo2xxMs)}`);
    await settle(bench);
    // The yardstick under the same kind of load: as many POSTs as the raw-POST phase.
    const pool = new Pool(bare.url, { connections: 64 });
    const underLoad = sampleRss({ "bare node http server": bare.pid });
    await closedLoop(sizes.physicalPosts, 64, async () => {
      const res = await pool.request({ path: "/", method: "POST", body: "x".repeat(1_000) });
      await res.body.dump();
    });
    results.memory.bareUnderLoadMb = round(underLoad.stop()["bare node http server"] ?? Number.NaN);
    await pool.close();
  }
  if (runs("fan-out")) {
    results.fanOut = await measureFanOut(bench, progress, { endpoints: sizes.fanOutEndpoints });
    progress.log(`  fan-out: ${JSON.stringify(results.fanOut)}`);
    await settle(bench);
  }
  if (runs("drain")) {
    results.drain = await measureDrain(bench, progress, {
      backlog: sizes.drainBacklog,
      maxRatePerSec: max,
      otherShareOfMax: 0.1,
      baselineMs: sizes.latencyMs,
    });
    progress.log(`  drain: ${JSON.stringify(results.drain)}`);
    await settle(bench);
  }
  if (runs("watchers")) {
    results.watchers = await measureWatchers(bench, progress, {
      clinics: sizes.watcherClinics,
      claimsPerClinic: sizes.claimsPerClinic,
      windowMs: sizes.watcherWindowMs,
      pollIntervalsMs: sizes.pollIntervalsMs,
    });
    progress.log(`  watchers: 10 s polling / webhooks = ${results.watchers.poll10sOverWebhooks}`);
  }
  if (runs("backlog")) {
    results.memory.backlog = await measureBacklog(bench, progress, pids, { backlog: args.backlog });
    progress.log(`  backlog: ${JSON.stringify(results.memory.backlog)}`);
  }
  if (runs("workers")) {
    // A system of its own: the whole backlog fits the in-flight windows (see workers-scale.ts).
    progress.phase("workers: starting a system with room for the whole backlog in flight");
    const window = 1_000;
    const scaled = await startBench({
      insurerEnv: { ENDPOINT_DEFAULT_MAX_CONCURRENCY: String(window) },
      workerEnv: args.workerConcurrency
        ? { DELIVERY_CONCURRENCY: String(args.workerConcurrency) }
        : {},
    });
    try {
      results.workersScale = await measureWorkersScale(scaled, progress, {
        workerCounts: sizes.scaleWorkerCounts,
        endpoints: sizes.scaleEndpoints,
        events: sizes.scaleEvents,
        receivers: 2,
        receiverDelayMs: 50,
        windowPerEndpoint: window,
        warmUpEvents: q ? 5 : 10,
      });
    } finally {
      await scaled.stop();
    }
  }
  if (runs("cluster") || runs("failover")) {
    progress.phase("cluster: starting three nats-servers and a system on them (replicas 3)");
    const { cluster, nats } = await startBenchCluster();
    const onCluster = await startBench({ nats }).catch(async (err: unknown) => {
      await cluster.stop();
      throw err;
    });
    try {
      if (runs("cluster")) {
        // A fresh single-node system too, so that both start from the same empty state.
        const single = await startBench();
        try {
          results.clusterEndToEnd = await measureClusterEndToEnd(
            single,
            onCluster,
            progress,
            {
              events: sizes.clusterEvents,
              concurrency: 64,
              rounds: sizes.clusterRounds,
              warmUpEvents: q ? 200 : 300,
            },
            process.pid,
          );
          progress.log(`  cluster: ${JSON.stringify(results.clusterEndToEnd)}`);
        } finally {
          await single.stop();
        }
      }
      if (runs("failover")) {
        results.failover = await measureFailover(onCluster, cluster, progress, {
          repetitions: sizes.failoverRepetitions,
          ratePerSec: sizes.failoverRatePerSec,
          baselineMs: 3_000,
          recoverTimeoutMs: 60_000,
        });
        progress.log(`  failover: ${JSON.stringify(results.failover)}`);
      }
    } finally {
      await onCluster
        .stop()
        .catch((err: unknown) => console.error("stopping the cluster system:", err));
      await cluster.stop();
    }
  }
  if (runs("stores")) {
    progress.phase("stores: starting one insurer on SQLite, one on PostgreSQL, two on PostgreSQL");
    const benches: Partial<Record<StoreSetup, Awaited<ReturnType<typeof startBench>>>> = {};
    try {
      benches.sqlite = await startBench();
      benches.postgres = await startBench({ postgres: true });
      benches["postgres ×2"] = await startBench({ insurers: 2 });
      results.stores = await measureStores(
        benches as Record<StoreSetup, Awaited<ReturnType<typeof startBench>>>,
        progress,
        {
          events: sizes.storesEvents,
          concurrency: 64,
          rounds: sizes.storesRounds,
          warmUpEvents: q ? 200 : 300,
          takeoverRepetitions: sizes.takeoverRepetitions,
          takeoverRatePerSec: sizes.takeoverRatePerSec,
        },
        process.pid,
      );
      progress.log(`  stores: ${JSON.stringify(results.stores)}`);
    } finally {
      for (const name of STORE_SETUPS) {
        await benches[name]
          ?.stop()
          .catch((err: unknown) => console.error(`stopping the ${name} system:`, err));
      }
    }
  }
} finally {
  progress.done();
  results.finishedAt = new Date().toISOString();
  await writeProfiles([bench.system.insurer, bench.system.worker, bench.system.clinic]);
  await bench.stop().catch((err: unknown) => console.error("stopping the system:", err));
  await bare.stop();
}

const outDir = resolve(REPO_ROOT, args.outDir);
await mkdir(outDir, { recursive: true });
const stamp = startedAt.toISOString().slice(0, 10);
// A partial or quick run never overwrites the full run's files.
const suffix = `${q ? "-quick" : ""}${args.only ? `-${[...args.only].join("-")}` : ""}`;
await writeFile(join(outDir, `results${suffix}.json`), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(outDir, `results${suffix}.md`), renderMarkdown(results));
const chart = await renderChart(results);
await writeFile(join(outDir, `chart${suffix}.svg`), chart.svg);
await writeFile(join(outDir, `chart${suffix}.png`), chart.png);
console.log(renderMarkdown(results));
console.error(
  `bench: wrote ${args.outDir}/results${suffix}.{json,md} and chart${suffix}.{svg,png} (${stamp}); RSS of this process ${round(rssMb(process.pid))} MB`,
);

function roundAll(table: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [k, round(v)]));
}
