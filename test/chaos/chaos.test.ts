import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChaosSystem, startChaosSystem } from "../src/harness/chaos-system.ts";
import { chaosConfig } from "./chaos-config.ts";
import { chaosSystemOptions } from "./chaos-system-options.ts";
import { driveClaims, newDriveStats } from "./claim-driver.ts";
import { formatVerdicts } from "./delivery-checker.ts";
import {
  clinicOutage,
  createFaultLog,
  freezeWorker,
  killInsurerBetweenCommitAndPublish,
  killWorker,
  restartNats,
} from "./faults.ts";
import { settleAndAudit } from "./settle-and-audit.ts";
import { describeStallGuards } from "./stall-diagnostics.ts";
import { expectCleanVerdicts } from "./verdict-expectations.ts";

// Nothing lost, duplicates harmless, one bad endpoint hurts nobody: under faults, not
// only on a quiet day. Claims of several clinics change status as fast as the insurer
// takes them while the run kills and freezes processes and the clinics' fault proxies
// fail 30% of webhooks and stall 10%; then an auditor (delivery-checker.ts) classifies
// every committed event for every endpoint and compares each clinic's claims with the
// insurer's. See docs/chaos.md.

const config = chaosConfig();
const PAUSE_BETWEEN_FAULTS_MS = 1_000;
let sys: ChaosSystem;

beforeAll(async () => {
  sys = await startChaosSystem(chaosSystemOptions(config));
}, 180_000);

afterAll(async () => {
  await sys?.stop();
});

describe(`chaos (${config.form} form)`, () => {
  it(
    "loses no event, doubles no effect and ends with every clinic agreeing with the insurer",
    async () => {
      const started = Date.now();
      const faults = createFaultLog();
      const progress = newDriveStats();
      const abort = new AbortController();
      let faultsDone = false;

      /** Resolves once the driver has committed a few more changes: the insurer is busy now. */
      const underLoad = async () => {
        const from = progress.changes;
        await waitFor("load on the insurer", () => progress.changes >= from + 10, {
          timeoutMs: 60_000,
          intervalMs: 5,
        });
        await sleep(Math.floor(Math.random() * 30));
      };

      async function injectFaults(): Promise<void> {
        let round = 0;
        do {
          round += 1;
          // One clinic fully down while the other faults go on.
          const outage = clinicOutage(
            faults,
            sys.clinics[(round - 1) % sys.clinics.length]!,
            config.clinicOutageMs,
          );
          await underLoad();
          await killWorker(sys, faults, 0, 500);
          await sleep(PAUSE_BETWEEN_FAULTS_MS);
          await killInsurerBetweenCommitAndPublish(sys, faults, { attempts: 8, underLoad });
          await sleep(PAUSE_BETWEEN_FAULTS_MS);
          await restartNats(sys, faults, 1_000);
          await sleep(PAUSE_BETWEEN_FAULTS_MS);
          await freezeWorker(sys, faults, 1, config.ackWaitMs + 2_000);
          await underLoad();
          await killWorker(sys, faults, 1, 500);
          await outage;
        } while (progress.changes < config.changes && !abort.signal.aborted);
        faultsDone = true;
      }

      const driving = driveClaims({
        clinics: sys.clinics,
        staff: sys.staff,
        changes: config.changes,
        concurrency: config.concurrency,
        keepGoing: () => !faultsDone,
        stats: progress,
        signal: abort.signal,
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
        deliveryConsumer: tasks,
        verdicts,
      } = await settleAndAudit(sys, config.settleTimeoutMs);
      // tasks: how often JetStream handed out a task, against how many tasks there were:
      // the redeliveries after kills and ack waits, and the tasks put back by busy workers.
      const republished = sys.insurer.started
        .flatMap((p) => p.logs)
        .filter((line) => line.includes("published attempts a crash left unpublished")).length;
      console.log(
        [
          `chaos (${config.form} form, seed ${config.seed}): ${progress.changes} status changes ` +
            `on ${progress.claims} claims across ${sys.clinics.length} clinics; ` +
            `${progress.retriedCalls} API calls failed during outages and were settled`,
          `driving under faults ${((drivenAt - started) / 1000).toFixed(1)} s, ` +
            `settling ${((settledAt - drivenAt) / 1000).toFixed(1)} s`,
          `insurer killed ${faults.insurerKills} times; ${faults.insurerKillsBetweenCommitAndPublish} ` +
            `kill(s) caught ${faults.eventsCaughtBetweenCommitAndPublish} committed, undispatched ` +
            `first attempts; restarts that published attempts a crash left unpublished: ${republished}`,
          ...faults.records.map((r) => `  ${r.fault}: ${r.detail} (${r.ms} ms)`),
          tasks
            ? `DELIVERIES: ${tasks.delivered.consumerSeq} hand-outs to workers for ` +
              `${tasks.delivered.streamSeq} tasks published`
            : "DELIVERIES: consumer state unavailable",
          describeStallGuards(sys),
          formatVerdicts(verdicts),
          ...verdicts.flatMap((v) => [...v.lostExamples, ...v.stateMismatches.slice(0, 5)]),
          ...(stall ? ["did not settle:", stall] : []),
        ].join("\n"),
      );

      if (settleError) throw settleError;
      expect(progress.changes).toBeGreaterThanOrEqual(config.changes);
      expect(faults.insurerKillsBetweenCommitAndPublish).toBeGreaterThanOrEqual(1);
      expectCleanVerdicts(verdicts);
    },
    config.form === "long" ? 3_600_000 : 300_000,
  );
});
