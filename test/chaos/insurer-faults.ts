import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "@claimwire/testing";
import type { ChaosSystem } from "../src/harness/chaos-system.ts";
import type { RestartableService } from "../src/harness/restartable-service.ts";
import type { ClusterFaultLog } from "./cluster-faults.ts";

/** How many times the running process of `insurer` has taken the dispatcher lease (its "lease taken" log line, create-insurer.ts). */
function leasesTaken(insurer: RestartableService): number {
  return insurer
    .current()
    .logs.filter(
      (line) => line.includes('"msg":"lease taken"') && line.includes('"lease":"dispatcher"'),
    ).length;
}

/**
 * kill -9 of the insurer process that dispatches (holds the dispatcher lease), in the
 * middle of its work; another insurer must take the lease over and dispatch what it had
 * left, and the killed one is started again after `downMs`.
 */
export async function killDispatchingInsurer(
  sys: ChaosSystem,
  log: ClusterFaultLog,
  downMs: number,
): Promise<void> {
  const holder = await waitFor("an insurer process to hold the dispatcher lease", () =>
    sys.insurers.find((insurer) => insurer.running() && leasesTaken(insurer) > 0),
  );
  const others = sys.insurers.filter((insurer) => insurer !== holder);
  const before = new Map(others.map((insurer) => [insurer, leasesTaken(insurer)]));
  const at = Date.now();
  await holder.kill("SIGKILL");
  const successor = await waitFor(
    "another insurer process to take the dispatcher lease",
    () => others.find((insurer) => leasesTaken(insurer) > (before.get(insurer) ?? 0)),
    { timeoutMs: 60_000, intervalMs: 20 },
  );
  const takeoverMs = Date.now() - at;
  await sleep(Math.max(0, downMs - takeoverMs));
  await holder.start();
  log.records.push({
    fault: `kill -9 of ${holder.name}, the dispatching insurer`,
    at,
    detail: `${successor.name} took the dispatcher lease ${takeoverMs} ms after the kill; ${holder.name} restarted after ${downMs} ms`,
    ms: Date.now() - at,
  });
}
