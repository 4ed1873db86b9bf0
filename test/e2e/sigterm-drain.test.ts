import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicClaims } from "../src/harness/clinic-api-client.ts";
import { feedEvents } from "../src/harness/insurer-api-reads.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import type { ServiceProcess } from "../src/harness/service-process.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

// A rolling restart as an orchestrator does it: SIGTERM, then a replacement. A delivery
// worker and then the insurer are sent SIGTERM in the middle of a burst of status
// changes; each drains and exits 0 within SHUTDOWN_TIMEOUT_MS, the other worker and the
// restarted insurer carry on, and every committed event reaches the clinic's inbox once.

const SHUTDOWN_TIMEOUT_MS = 8_000;
/** Longer than the bound: a process that exits by itself before it exited within the bound. */
const KILL_GRACE_MS = SHUTDOWN_TIMEOUT_MS + 4_000;
const shutdownEnv = { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };

let sys: RunningSystem;

beforeAll(async () => {
  sys = await startSystem({
    workers: 2,
    insurerEnv: shutdownEnv,
    workerEnv: shutdownEnv,
    // Reconciliation would fill a lost webhook in from the event feed: keep it out of the
    // way, so the inbox shows what the webhooks alone delivered.
    clinicEnv: { ...shutdownEnv, CLINIC_RECONCILE_INTERVAL_MS: "3600000" },
  });
}, 60_000);
afterAll(async () => {
  await sys?.stop();
});

const attemptsLogged = (worker: ServiceProcess) =>
  worker.logs.filter((line) => line.includes('"msg":"attempt"')).length;

/** SIGTERM, then the exit code (null: it had to be killed after the bound). */
async function terminate(service: ServiceProcess): Promise<number | null> {
  await service.kill("SIGTERM", KILL_GRACE_MS);
  return service.exitCode();
}

describe("SIGTERM during a burst of status changes", () => {
  it("drains a worker and the insurer, each exits 0, and the clinic gets every event once", async () => {
    const me = await sys.clinicClient.me.query();
    if (me.role !== "clinic") throw new Error("expected a clinic key");

    // The burst: claims submitted and moved to in_review, five at a time, until told to
    // stop. A call the insurer turned away while it drained (503) or while it was down
    // (connection refused) is made again, as a client would.
    let stop = false;
    let turnedAway = 0;
    let callsAfterRestart = 0;
    let restarted = false;
    const persist = async <T>(call: () => Promise<T>): Promise<T> => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          const result = await call();
          if (restarted) callsAfterRestart++;
          return result;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          turnedAway++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    };
    const driving = (async () => {
      while (!stop) {
        const claims = await Promise.all(
          Array.from({ length: 5 }, () =>
            persist(() => sys.clinicClient.claims.submit.mutate(sampleClaim())),
          ),
        );
        await Promise.all(
          claims.map((claim) =>
            persist(() => sys.staff.claims.decide.mutate({ claimId: claim.id, to: "in_review" })),
          ),
        );
      }
    })();

    try {
      const [leaving, staying] = sys.workers as [ServiceProcess, ServiceProcess];
      await waitFor(
        "both workers to deliver",
        () => attemptsLogged(leaving) > 0 && attemptsLogged(staying) > 0,
        { timeoutMs: 15_000, intervalMs: 10 },
      );
      expect(await terminate(leaving)).toBe(0);

      const insurer = sys.insurer;
      const seen = attemptsLogged(staying);
      await waitFor("more deliveries by the other worker", () => attemptsLogged(staying) > seen, {
        timeoutMs: 15_000,
        intervalMs: 10,
      });
      expect(await terminate(insurer)).toBe(0);
      await sys.restartInsurer(insurer);
      restarted = true;
      await waitFor("the restarted insurer to take calls", () => callsAfterRestart >= 10, {
        timeoutMs: 15_000,
        intervalMs: 10,
      });
    } finally {
      stop = true;
      await driving;
    }

    const committed = (await feedEvents(sys.staff, { clinicId: me.clinicId })).map((e) => e.id);
    const inbox = await waitFor(
      "every committed event in the clinic's inbox",
      async () => {
        const ids = (await clinicClaims(sys.clinicApi)).flatMap((claim) =>
          claim.messages.map((m) => m.webhookId),
        );
        return ids.length >= committed.length && ids;
      },
      // A delivery that failed while the insurer was away waits for its retry, and a task
      // a drain handed back returns after the ack wait (60 s): late is not lost.
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(new Set(inbox)).toEqual(new Set(committed));
    expect(inbox).toHaveLength(committed.length);

    // The rest drain too: the clinic, the other worker, the restarted insurer.
    const rest = [sys.clinic, sys.workers[1]!, sys.insurer];
    expect(await Promise.all(rest.map(terminate))).toEqual([0, 0, 0]);

    console.log(
      `sigterm-drain: ${committed.length} events delivered once each; ` +
        `calls made again after a refusal: ${turnedAway}`,
    );
  }, 240_000);
});
