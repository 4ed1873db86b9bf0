import { fileURLToPath } from "node:url";
import { type RunningSystem, type ServiceProcess, startSystem } from "@claimwire/e2e/harness";
import { sleep } from "./load.ts";

/**
 * The benchmark runs the e2e tests' system (test/src/harness/system.ts) quietly: every
 * process at LOG_LEVEL=warn (a log line per webhook would be part of what is measured),
 * readiness asked over HTTP. On top of the e2e settings, limits that would otherwise be
 * what the benchmark measures are lifted.
 */
const BENCH_INSURER_ENV = {
  RATE_LIMIT_PER_SECOND: "100000000",
  RATE_LIMIT_BURST: "100000000",
  EVENT_FEED_MAX_WAITERS_PER_CLINIC: "100",
  // The physical-limit phase keeps 64 POSTs in flight to the clinic. The endpoint's window
  // counts a delivery from dispatch to its recorded report, a longer trip than the POST,
  // so it is sized for the pipeline, not the receiver (the default protects receivers).
  ENDPOINT_DEFAULT_MAX_CONCURRENCY: "256",
};

/** `startWorker()` starts another delivery worker process (after `worker` was killed, for a drain). */
export type BenchProcesses = RunningSystem;

/**
 * BENCH_CPU_PROF=<dir> profiles every service (cpu-profile-hook.mjs): a .cpuprofile per
 * process in that folder, written on SIGUSR2 (`writeProfiles` below), to see where
 * the time goes. Node 20 refuses --cpu-prof in NODE_OPTIONS, hence the hook.
 */
function profileEnv(): Record<string, string> {
  const dir = process.env.BENCH_CPU_PROF;
  const hook = fileURLToPath(new URL("./cpu-profile-hook.mjs", import.meta.url));
  return dir ? { NODE_OPTIONS: `--import ${hook}` } : {};
}

/** Asks every profiled service to write its profile now; waits for the files. */
export async function writeProfiles(services: ServiceProcess[]): Promise<void> {
  if (!process.env.BENCH_CPU_PROF) return;
  for (const service of services) process.kill(service.pid, "SIGUSR2");
  await sleep(2_000);
}

/**
 * `natsEnv`: NATS_URL and NATS_REPLICAS of a cluster, for the insurer and every worker;
 * `insurerEnv`, `workerEnv`: settings of one phase's own system on top of the benchmark's.
 */
export function startProcesses(
  natsEnv: Record<string, string> = {},
  insurerEnv: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
  store: { insurers?: number; postgres?: boolean } = {},
): Promise<BenchProcesses> {
  return startSystem({
    ...store,
    quiet: true,
    clinicName: "Bench Clinic",
    insurerEnv: { ...BENCH_INSURER_ENV, ...profileEnv(), ...natsEnv, ...insurerEnv },
    workerEnv: { ...profileEnv(), ...natsEnv, ...workerEnv },
    clinicEnv: profileEnv(),
  });
}
