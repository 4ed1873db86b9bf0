import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChaosSystem, startChaosSystem } from "../src/harness/chaos-system.ts";
import { clusterChaosConfig } from "./chaos-config.ts";
import { chaosSystemOptions } from "./chaos-system-options.ts";
import { driveClaims, newDriveStats } from "./claim-driver.ts";
import {
  type ClusterFaultLog,
  createClusterFaultLog,
  freezeStreamLeader,
  killStreamLeader,
  partitionStreamLeader,
  rollingRestart,
} from "./cluster-faults.ts";
import { formatVerdicts } from "./delivery-checker.ts";
import { killDispatchingInsurer } from "./insurer-faults.ts";
import { longestPause, recoveryMs } from "./recovery-time.ts";
import { readDeliveryConsumer, settleAndAudit } from "./settle-and-audit.ts";
import { describeComplaints, describeStallGuards } from "./stall-diagnostics.ts";
import { expectCleanVerdicts } from "./verdict-expectations.ts";

// The chaos run beyond one machine: a three-node JetStream cluster (every stream with
// three copies, the processes given every node) and two insurer processes on one
// PostgreSQL database behind a balancer, with two delivery workers. While claims change
// status as fast as the insurers take them and the clinics' fault proxies fail and stall
// webhooks, the node that leads the DELIVERIES stream is killed, frozen past the election
// timeout and cut off, every node is restarted in turn, and the insurer that dispatches is
// killed with kill -9 and started again. Then the same auditor as the single-server run
// gives its verdict. The short form puts the five faults into one burst; the long form
// (`pnpm test:chaos --cluster`) gives each a burst and a verdict of its own. docs/chaos.md.

const config = clusterChaosConfig();
const KILLED_FOR_MS = 5_000;
/** Past the raft election timeout (a few seconds on 2.9.10) by a wide margin. */
const FROZEN_FOR_MS = 12_000;
const CUT_OFF_FOR_MS = 10_000;
const PAUSE_BETWEEN_FAULTS_MS = 2_000;
const INSURER_DOWN_FOR_MS = 5_000;

type ClusterFault = { name: string; inject: (log: ClusterFaultLog) => Promise<void> };

const FAULTS: ClusterFault[] = [
  {
    name: "kill -9 of the DELIVERIES leader, then its restart",
    inject: (log) => killStreamLeader(cluster(), log, KILLED_FOR_MS),
  },
  {
    name: `SIGSTOP of the DELIVERIES leader for ${FROZEN_FOR_MS / 1000} s, then SIGCONT`,
    inject: (log) => freezeStreamLeader(cluster(), log, FROZEN_FOR_MS),
  },
  {
    name: `the DELIVERIES leader cut off for ${CUT_OFF_FOR_MS / 1000} s, then healed`,
    inject: (log) => partitionStreamLeader(cluster(), log, CUT_OFF_FOR_MS),
  },
  {
    name: "a rolling restart of the three nodes",
    inject: (log) => rollingRestart(cluster(), log),
  },
  {
    name: "kill -9 of the dispatching insurer, then its restart",
    inject: (log) => killDispatchingInsurer(sys, log, INSURER_DOWN_FOR_MS),
  },
];

let sys: ChaosSystem;

function cluster() {
  if (!sys.cluster) throw new Error("the chaos system was started without a cluster");
  return sys.cluster;
}

/**
 * One burst of load with `faults` injected in sequence while it runs (each once the
 * driver has committed `leadIn` more changes), then the wait for the system to settle,
 * the verdict and the figures.
 */
async function burst(
  /** Letters and digits: it goes into the claims' references. */
  label: string,
  faults: readonly ClusterFault[],
  leadIn: number,
) {
  const started = Date.now();
  const log = createClusterFaultLog();
  const progress = newDriveStats();
  const abort = new AbortController();
  const before = await readDeliveryConsumer(sys);
  let faultsDone = false;

  const underLoad = async (changes: number) => {
    const from = progress.changes;
    await waitFor("load on the insurer", () => progress.changes >= from + changes, {
      timeoutMs: 120_000,
      intervalMs: 5,
    });
  };
  async function injectFaults() {
    for (const fault of faults) {
      await underLoad(leadIn);
      await fault.inject(log);
      await sleep(PAUSE_BETWEEN_FAULTS_MS);
    }
    faultsDone = true;
  }

  const driving = driveClaims({
    clinics: sys.clinics,
    staff: sys.staff,
    changes: config.changes,
    concurrency: config.concurrency,
    perSecond: config.perSecond,
    keepGoing: () => !faultsDone,
    stats: progress,
    signal: abort.signal,
    burst: label,
  });
  await Promise.all([driving, injectFaults()]).catch((err) => {
    abort.abort(err);
    throw err;
  });
  const drivenAt = Date.now();

  const {
    settledAt,
    settleError,
    stall,
    deliveryConsumer: after,
    verdicts,
  } = await settleAndAudit(sys, config.settleTimeoutMs);

  // Hand-outs to workers against tasks published during this burst: the redeliveries.
  const handOuts = (after?.delivered.consumerSeq ?? 0) - (before?.delivered.consumerSeq ?? 0);
  const tasks = (after?.delivered.streamSeq ?? 0) - (before?.delivered.streamSeq ?? 0);
  const recoveries = log.records.map((r) => recoveryMs(r.at, sys.clinics));
  // While load and faults went on (after it, the tail of the settling has nothing to deliver).
  const pause = longestPause(sys.clinics, started, drivenAt);
  console.log(
    [
      `chaos on a three-node cluster and two insurers on PostgreSQL (${config.form} form, ${label}, seed ${config.seed}): ` +
        `${progress.changes} status changes on ${progress.claims} claims; ` +
        `${progress.retriedCalls} API calls failed and were settled`,
      `driving under faults ${((drivenAt - started) / 1000).toFixed(1)} s, ` +
        `settling ${((settledAt - drivenAt) / 1000).toFixed(1)} s`,
      ...log.records.map(
        (r, i) =>
          `  ${r.fault}: ${r.detail} (${r.ms} ms); first event committed after it reached a ` +
          `clinic ${recoveries[i] === undefined ? "never" : `${recoveries[i]} ms`} after it`,
      ),
      after && before && handOuts >= 0
        ? `DELIVERIES: ${handOuts} hand-outs to workers for ${tasks} tasks published ` +
          `(${handOuts - tasks} redeliveries; ${after.redelivered} redelivered now)`
        : `DELIVERIES: consumer state ${after ? "restarted (re-created by a stall guard?)" : "unavailable"}: ${JSON.stringify(after?.delivered)}`,
      `longest pause with no webhook reaching any clinic: ${pause.ms} ms, from ` +
        `${((pause.at - started) / 1000).toFixed(1)} s into the burst (faults at ` +
        `${log.records.map((r) => ((r.at - started) / 1000).toFixed(1)).join(", ")} s)`,
      describeStallGuards(sys),
      describeComplaints(sys, started),
      formatVerdicts(verdicts),
      ...verdicts.flatMap((v) => [...v.lostExamples, ...v.stateMismatches.slice(0, 5)]),
      ...(stall ? ["did not settle:", stall] : []),
    ].join("\n"),
  );

  if (settleError) throw settleError;
  expect(progress.changes).toBeGreaterThanOrEqual(config.changes);
  expect(log.records.length).toBeGreaterThanOrEqual(faults.length);
  expectCleanVerdicts(verdicts);
}

beforeAll(async () => {
  sys = await startChaosSystem(chaosSystemOptions(config, { cluster: true, insurers: 2 }));
}, 180_000);

afterAll(async () => {
  await sys?.stop();
});

describe(`chaos on a three-node JetStream cluster and two insurers on PostgreSQL (${config.form} form)`, () => {
  if (config.form === "short") {
    it(
      "loses no event and doubles no effect through a leader's kill, freeze and partition, a rolling restart and the dispatching insurer's kill",
      () => burst("all", FAULTS, 20),
      300_000,
    );
  } else {
    FAULTS.forEach((fault, i) => {
      it(
        `loses no event and doubles no effect through ${fault.name}`,
        // The fault strikes a quarter of the way into its burst of changes.
        () => burst(`F${i + 1}`, [fault], Math.floor(config.changes / 4)),
        1_200_000,
      );
    });
  }
});
