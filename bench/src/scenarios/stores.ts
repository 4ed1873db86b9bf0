import { execFileSync } from "node:child_process";
import { leaseHolderPid } from "@claimwire/insurer-db";
import { waitFor } from "@claimwire/testing";
import type { Bench, Clinic } from "../bench-system.ts";
import { type CountingReceiver, startCountingReceiver } from "../counting-receiver.ts";
import { startCpuMeter } from "../cpu-time.ts";
import { closedLoop, sleep, steadyLoad } from "../load.ts";
import type { Progress } from "../progress.ts";
import { median, round } from "../stats.ts";

/** The three insurer set-ups compared, each a system of its own. */
export const STORE_SETUPS = ["sqlite", "postgres", "postgres ×2"] as const;
export type StoreSetup = (typeof STORE_SETUPS)[number];

export type StoreFigures = {
  /** Claims submitted through the API until the receiver has every webhook. */
  endToEndPerSec: number;
  /** Claims submitted for a clinic without endpoints: the API and the store alone. */
  mutationsOnlyPerSec: number;
  rounds: { endToEndPerSec: number; mutationsOnlyPerSec: number }[];
  /** CPU-ms per event of each process in the last round (`postgres`: every server process). */
  cpuMsPerEvent: { endToEnd: Record<string, number>; mutationsOnly: Record<string, number> };
};

export type TakeoverRepetition = {
  /** kill -9 of the dispatching insurer → another process holds the dispatcher lease. */
  leaseMs: number;
  /** kill → the first webhook of an event committed after the kill reaches the receiver. */
  firstDeliveryMs: number;
  /** The longest time without any arrival, from 1 s before the kill until 10 s after it. */
  longestGapMs: number;
};

export type StoresResult = {
  events: number;
  concurrency: number;
  systems: Record<StoreSetup, StoreFigures>;
  /** postgres ×2 only. */
  takeover: {
    ratePerSec: number;
    repetitions: TakeoverRepetition[];
    leaseMs: { min: number; median: number; max: number };
    firstDeliveryMs: { min: number; median: number; max: number };
    /** Submits the balancer could not place (the killed process had them in hand). */
    failedSubmits: number;
    /** Events committed during the phase that never reached the receiver (expected 0). */
    lost: number;
  };
};

type Setup = { bench: Bench; receiver: CountingReceiver; withEndpoint: Clinic; quiet: Clinic };

/**
 * One insurer on SQLite, one on PostgreSQL and two on one PostgreSQL behind a balancer,
 * each a fresh system of its own, measured alike in alternating rounds (a noisy
 * neighbour hurts all three): end to end (submits until the receiver has every webhook)
 * and the insurer's mutations alone. Then, on the two insurers, the dispatching one is
 * killed with kill -9 under a steady load, and the time until the other takes the
 * dispatcher lease over and delivers again is measured.
 */
export async function measureStores(
  benches: Record<StoreSetup, Bench>,
  progress: Progress,
  opts: {
    events: number;
    concurrency: number;
    rounds: number;
    warmUpEvents: number;
    takeoverRepetitions: number;
    takeoverRatePerSec: number;
  },
  loadGeneratorPid: number,
): Promise<StoresResult> {
  const setups = {} as Record<StoreSetup, Setup>;
  for (const name of STORE_SETUPS) {
    const bench = benches[name];
    const receiver = await startCountingReceiver();
    const withEndpoint = await bench.newClinic(`Bench stores clinic (${name})`);
    await bench.createEndpoint(withEndpoint, receiver.url);
    const quiet = await bench.newClinic(`Bench stores quiet clinic (${name})`);
    setups[name] = { bench, receiver, withEndpoint, quiet };
  }
  try {
    // Fresh processes compile and optimise on their first calls: not part of the rate.
    for (const name of STORE_SETUPS) {
      progress.phase(`stores: warming up ${name}`, opts.warmUpEvents);
      await endToEnd(setups[name], opts.warmUpEvents, opts.concurrency, (n) => progress.tick(n));
    }
    const rounds = Object.fromEntries(STORE_SETUPS.map((n) => [n, []])) as unknown as Record<
      StoreSetup,
      StoreFigures["rounds"]
    >;
    const cpu = {} as Record<StoreSetup, StoreFigures["cpuMsPerEvent"]>;
    for (let r = 0; r < opts.rounds; r++) {
      for (const name of STORE_SETUPS) {
        const setup = setups[name];
        const pids = () => ({
          ...processPids(setup.bench),
          "bench (load generator)": loadGeneratorPid,
          ...(name === "sqlite" ? {} : postgresPids()),
        });
        progress.phase(`stores: round ${r + 1}/${opts.rounds}, ${name}, end to end`, opts.events);
        let meter = startCpuMeter(pids());
        const endToEndPerSec = await endToEnd(setup, opts.events, opts.concurrency, (n) =>
          progress.tick(n),
        );
        const e2eCpu = perEvent(meter.stop(), opts.events);
        progress.phase(
          `stores: round ${r + 1}/${opts.rounds}, ${name}, mutations only`,
          opts.events,
        );
        meter = startCpuMeter(pids());
        const run = await closedLoop(
          opts.events,
          opts.concurrency,
          () => setup.bench.submit(setup.quiet),
          (n) => progress.tick(n),
        );
        if (run.failures > 0) throw new Error(`${name}: ${run.failures} submits failed`);
        const mutationsOnlyPerSec = opts.events / (run.elapsedMs / 1000);
        cpu[name] = { endToEnd: e2eCpu, mutationsOnly: perEvent(meter.stop(), opts.events) };
        rounds[name].push({
          endToEndPerSec: round(endToEndPerSec),
          mutationsOnlyPerSec: round(mutationsOnlyPerSec),
        });
        progress.log(
          `  stores round ${r + 1}, ${name}: end to end ${round(endToEndPerSec)}/s, mutations only ${round(mutationsOnlyPerSec)}/s`,
        );
      }
    }
    const systems = Object.fromEntries(
      STORE_SETUPS.map((name) => [
        name,
        {
          endToEndPerSec: median(rounds[name].map((x) => x.endToEndPerSec)),
          mutationsOnlyPerSec: median(rounds[name].map((x) => x.mutationsOnlyPerSec)),
          rounds: rounds[name],
          cpuMsPerEvent: cpu[name],
        },
      ]),
    ) as Record<StoreSetup, StoreFigures>;
    const takeover = await measureTakeover(setups["postgres ×2"], progress, {
      repetitions: opts.takeoverRepetitions,
      ratePerSec: opts.takeoverRatePerSec,
    });
    return { events: opts.events, concurrency: opts.concurrency, systems, takeover };
  } finally {
    await Promise.all(STORE_SETUPS.map((name) => setups[name]?.receiver.close()));
  }
}

async function endToEnd(
  setup: Setup,
  count: number,
  concurrency: number,
  onArrived: (n: number) => void,
): Promise<number> {
  const before = new Set(setup.receiver.arrivals.keys());
  const startedAt = Date.now();
  const run = await closedLoop(count, concurrency, () => setup.bench.submit(setup.withEndpoint));
  if (run.failures > 0) throw new Error(`${run.failures} submits failed`);
  await waitFor(
    `all ${count} webhooks at the receiver`,
    () => {
      const arrived = setup.receiver.arrivals.size - before.size;
      onArrived(arrived);
      return arrived >= count;
    },
    { timeoutMs: 120_000 + count * 20, intervalMs: 100 },
  );
  let last = 0;
  for (const [id, at] of setup.receiver.arrivals) if (!before.has(id)) last = Math.max(last, at);
  return count / ((last - startedAt) / 1000);
}

async function measureTakeover(
  setup: Setup,
  progress: Progress,
  opts: { repetitions: number; ratePerSec: number },
): Promise<StoresResult["takeover"]> {
  const { bench, receiver } = setup;
  const url = bench.system.insurerDatabaseUrl;
  if (!url) throw new Error("the takeover is measured on insurers that share PostgreSQL");
  const startedAt = Date.now();
  const load = steadyLoad(opts.ratePerSec, () => bench.submit(setup.withEndpoint));
  const repetitions: TakeoverRepetition[] = [];
  let loadResult: { started: number; failures: number };
  try {
    await sleep(3_000);
    for (let rep = 0; rep < opts.repetitions; rep++) {
      progress.phase(`stores: takeover ${rep + 1}/${opts.repetitions}`, 2);
      const holderPid = await waitFor("an insurer holding the dispatcher lease", () =>
        leaseHolderPid(url, "dispatcher"),
      );
      const holder = bench.system.insurers.find((p) => p.pid === holderPid);
      if (!holder) throw new Error(`no insurer process has pid ${holderPid}`);
      const killAt = Date.now();
      await holder.kill("SIGKILL");
      const leaseAt = await waitFor(
        "another insurer to take the dispatcher lease",
        async () => {
          const pid = await leaseHolderPid(url, "dispatcher");
          return pid !== undefined && pid !== holderPid ? Date.now() : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 10 },
      );
      progress.tick(1, `killed ${holder.name}`);
      await sleep(10_000);
      const times = [...receiver.arrivals.values()].filter(
        (t) => t > killAt - 1_000 && t <= killAt + 10_000,
      );
      times.sort((a, b) => a - b);
      let gap = 0;
      for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i]! - times[i - 1]!);
      let first = Number.POSITIVE_INFINITY;
      for (const [id, at] of receiver.arrivals) {
        const committed = receiver.committedAt.get(id);
        if (committed !== undefined && committed > killAt) first = Math.min(first, at);
      }
      repetitions.push({
        leaseMs: leaseAt - killAt,
        firstDeliveryMs: first - killAt,
        longestGapMs: gap,
      });
      progress.log(
        `  takeover ${rep + 1}: lease after ${leaseAt - killAt} ms, first new delivery after ${first - killAt} ms, longest gap ${gap} ms`,
      );
      // The killed process comes back (as a supervisor would start it) before the next kill.
      await bench.system.restartInsurer(holder);
      progress.tick(2);
    }
  } finally {
    loadResult = await load.stop();
  }
  await waitFor(
    "the takeover load's last deliveries",
    () =>
      [...receiver.committedAt.values()].filter((at) => at >= startedAt).length >=
      loadResult.started - loadResult.failures,
    { timeoutMs: 60_000, intervalMs: 250 },
  ).catch(() => undefined);
  const delivered = [...receiver.committedAt.values()].filter((at) => at >= startedAt).length;
  const spread = (values: number[]) => ({
    min: Math.min(...values),
    median: median(values),
    max: Math.max(...values),
  });
  return {
    ratePerSec: opts.ratePerSec,
    repetitions,
    leaseMs: spread(repetitions.map((r) => r.leaseMs)),
    firstDeliveryMs: spread(repetitions.map((r) => r.firstDeliveryMs)),
    failedSubmits: loadResult.failures,
    lost: Math.max(0, loadResult.started - loadResult.failures - delivered),
  };
}

function processPids(bench: Bench): Record<string, number> {
  const insurers = bench.system.insurers;
  return {
    ...Object.fromEntries(
      insurers.map((p, i) => [insurers.length > 1 ? `insurer-${i + 1}` : "insurer", p.pid]),
    ),
    worker: bench.system.worker.pid,
    ...bench.natsPids(),
  };
}

/** Every PostgreSQL server process now (the backends serving the insurers, and its writers). */
function postgresPids(): Record<string, number> {
  const out = execFileSync("pgrep", ["-x", "postgres"], { encoding: "utf8" });
  return Object.fromEntries(
    out
      .split("\n")
      .filter(Boolean)
      .map((pid, i) => [`postgres#${i}`, Number(pid)]),
  );
}

function perEvent(used: Record<string, number>, events: number): Record<string, number> {
  const table: Record<string, number> = {};
  let postgres = 0;
  let total = 0;
  for (const [name, ms] of Object.entries(used)) {
    if (!Number.isFinite(ms)) continue;
    total += ms;
    if (name.startsWith("postgres#")) postgres += ms;
    else table[name] = round(ms / events, 2);
  }
  if (postgres > 0) table.postgres = round(postgres / events, 2);
  table.total = round(total / events, 2);
  return table;
}
