import { setTimeout as sleep } from "node:timers/promises";
import type { ChaosClinic, ChaosSystem } from "../src/harness/chaos-system.ts";
// The one look at a database file in the cross-process tests: see the fault below.
import { readInsurerDb } from "../src/harness/insurer-db.ts";

/** What one injected fault did, for the closing table. */
export type FaultRecord = { fault: string; detail: string; ms: number };

export type FaultLog = {
  records: FaultRecord[];
  /** Insurer kills that found committed events not yet marked published (the fault proven). */
  insurerKillsBetweenCommitAndPublish: number;
  /** Committed-but-unpublished events found across those kills. */
  eventsCaughtBetweenCommitAndPublish: number;
  insurerKills: number;
};

export function createFaultLog(): FaultLog {
  return {
    records: [],
    insurerKillsBetweenCommitAndPublish: 0,
    eventsCaughtBetweenCommitAndPublish: 0,
    insurerKills: 0,
  };
}

async function timed(log: FaultLog, fault: string, run: () => Promise<string>): Promise<void> {
  const started = Date.now();
  const detail = await run();
  log.records.push({ fault, detail, ms: Date.now() - started });
}

/** SIGKILL a delivery worker mid-work; a supervisor starts it again after `downMs`. */
export function killWorker(sys: ChaosSystem, log: FaultLog, index: number, downMs: number) {
  const worker = sys.workers[index % sys.workers.length]!;
  return timed(log, `SIGKILL ${worker.name}`, async () => {
    await worker.kill("SIGKILL");
    await sleep(downMs);
    await worker.start();
    return `down ${downMs} ms, restarted`;
  });
}

/**
 * SIGKILL the insurer while it commits under load, then look into its outbox before it
 * starts again: first attempts committed and not yet dispatched are the ones caught
 * between commit and publish (the dispatcher must publish them after the restart). A
 * kill that caught none is tried again, up to `attempts` times, since that window is the
 * fault being proven.
 */
export function killInsurerBetweenCommitAndPublish(
  sys: ChaosSystem,
  log: FaultLog,
  { attempts, underLoad }: { attempts: number; underLoad: () => Promise<void> },
) {
  return timed(log, "SIGKILL insurer between commit and publish", async () => {
    const caught: number[] = [];
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await underLoad();
      await sys.insurer.kill("SIGKILL");
      log.insurerKills += 1;
      // The insurer is dead here and has no API to ask: its outbox is read from the file.
      const unpublished = readInsurerDb(
        sys.insurerDbPath,
        (db) =>
          (
            db
              .prepare(
                "SELECT count(*) AS n FROM deliveries WHERE status = 'sending' AND next_attempt_at IS NOT NULL",
              )
              .get() as { n: number }
          ).n,
      );
      caught.push(unpublished);
      await sys.insurer.start();
      if (unpublished > 0) {
        log.insurerKillsBetweenCommitAndPublish += 1;
        log.eventsCaughtBetweenCommitAndPublish += unpublished;
        break;
      }
    }
    return `${caught.length} kill(s); undispatched first attempts in the outbox at each: ${caught.join(", ")}`;
  });
}

/** SIGKILL nats-server and start it again on the same port and store after `downMs`. */
export function restartNats(sys: ChaosSystem, log: FaultLog, downMs: number) {
  const nats = sys.nats;
  if (!nats)
    throw new Error("restartNats needs the single nats-server; on a cluster see cluster-faults.ts");
  return timed(log, "SIGKILL nats-server", async () => {
    await nats.kill();
    await sleep(downMs);
    await nats.restart();
    return `down ${downMs} ms, restarted on the same port and store`;
  });
}

/** SIGSTOP a worker for longer than the delivery ack wait, then SIGCONT. */
export function freezeWorker(sys: ChaosSystem, log: FaultLog, index: number, frozenMs: number) {
  const worker = sys.workers[index % sys.workers.length]!;
  return timed(log, `SIGSTOP ${worker.name}`, async () => {
    worker.freeze();
    await sleep(frozenMs);
    worker.thaw();
    return `frozen ${frozenMs} ms (past the ack wait), then SIGCONT`;
  });
}

/** One clinic fully down (SIGKILL), then started again on the same database. */
export function clinicOutage(log: FaultLog, clinic: ChaosClinic, downMs: number) {
  return timed(log, `${clinic.name} down`, async () => {
    await clinic.service.kill("SIGKILL");
    await sleep(downMs);
    await clinic.service.start();
    return `down ${downMs} ms, restarted`;
  });
}
