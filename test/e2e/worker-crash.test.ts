import { freePort, waitFor } from "@claimwire/testing";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicClaims } from "../src/harness/clinic-api-client.ts";
import { type CountingProxy, startCountingProxy } from "../src/harness/counting-proxy.ts";
import { feedEvents } from "../src/harness/insurer-api-reads.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import type { ServiceProcess } from "../src/harness/service-process.ts";
import type { RunningSystem } from "../src/harness/system.ts";
import { startSystemBehindProxy } from "../src/harness/system-behind-proxy.ts";

// Workers are stateless, so losing one mid-delivery must cost nothing. Two worker
// processes share the deliveries; one is killed with SIGKILL while requests are in
// flight; every committed event still reaches the clinic, and none is stored twice.
// Tasks the dead worker held come back after the delivery consumer's ack_wait: 15 s here
// instead of the default 60 s (the same path, a quarter of the wait), with a request
// timeout that fits in it as the worker's settings require.

const CLAIMS = 100; // × (submitted + in_review) = 200 status changes
const ACK_WAIT_MS = 15_000;
const ACK_WAIT_MARGIN_MS = 6 * ACK_WAIT_MS;
const ackWaitEnv = { DELIVERY_ACK_WAIT_MS: String(ACK_WAIT_MS) };

let sys: RunningSystem;
let proxy: CountingProxy;
const metricsPorts: number[] = [];

beforeAll(async () => {
  // The proxy in front of the clinic counts every POST (the inbox absorbs redeliveries,
  // the proxy sees them) and slows each a little so deliveries overlap.
  proxy = await startCountingProxy({ delayMs: 50 });
  metricsPorts.push(await freePort(), await freePort());
  sys = await startSystemBehindProxy(proxy, {
    workers: 2,
    insurerEnv: ackWaitEnv,
    workerEnv: { ...ackWaitEnv, DELIVERY_TIMEOUT_MS: "10000" },
    workerEnvFor: (n) => ({ WORKER_METRICS_PORT: String(metricsPorts[n - 1]) }),
  });
}, 120_000);
afterAll(async () => {
  await sys?.stop();
  await proxy?.close();
});

const attemptsLogged = (worker: ServiceProcess) =>
  worker.logs.filter((line) => line.includes('"msg":"attempt"')).length;

async function inFlight(metricsPort: number): Promise<number> {
  const res = await request(`http://127.0.0.1:${metricsPort}/metrics`);
  const text = await res.body.text();
  const line = text.split("\n").find((l) => l.startsWith("claimwire_worker_in_flight "));
  return Number(line?.split(" ")[1] ?? 0);
}

/** 100 claims submitted, then each moved to in_review, a few at a time. */
async function driveStatusChanges(): Promise<void> {
  const claimIds: string[] = [];
  for (let i = 0; i < CLAIMS; i += 10) {
    const batch = Array.from({ length: 10 }, () =>
      sys.clinicClient.claims.submit.mutate(sampleClaim()),
    );
    claimIds.push(...(await Promise.all(batch)).map((claim) => claim.id));
  }
  for (let i = 0; i < claimIds.length; i += 10) {
    await Promise.all(
      claimIds
        .slice(i, i + 10)
        .map((claimId) => sys.staff.claims.decide.mutate({ claimId, to: "in_review" })),
    );
  }
}

describe("a delivery worker killed with SIGKILL mid-delivery", () => {
  it(
    "loses and doubles nothing at the clinic: the other worker finishes its work",
    async () => {
      const me = await sys.clinicClient.me.query();
      if (me.role !== "clinic") throw new Error("expected a clinic key");
      const [victim, survivor] = sys.workers as [ServiceProcess, ServiceProcess];
      const driving = driveStatusChanges();

      // Once both workers are delivering, hold every request at the clinic's door until
      // the first worker has some open, then kill it: those deliveries are certainly
      // mid-flight (the clinic gets them, their reports never go out).
      await waitFor(
        "both workers to deliver",
        () => attemptsLogged(victim) > 0 && attemptsLogged(survivor) > 0,
        { timeoutMs: 60_000, intervalMs: 10 },
      );
      proxy.hold();
      const victimInFlight = await waitFor(
        "the first worker to have requests in flight",
        async () => {
          const open = await inFlight(metricsPorts[0]!);
          return open > 0 && open;
        },
        { timeoutMs: 60_000 },
      );
      const before = {
        victim: attemptsLogged(victim),
        survivor: attemptsLogged(survivor),
        victimInFlight,
      };
      await victim.kill("SIGKILL");
      proxy.release();
      await driving;

      // Every event the insurer committed for the clinic, as its event feed lists them.
      const committed = (await feedEvents(sys.staff, { clinicId: me.clinicId })).map((e) => e.id);
      expect(committed).toHaveLength(2 * CLAIMS);
      const inbox = await waitFor(
        "every committed event in the clinic's inbox",
        async () => {
          const ids = (await clinicClaims(sys.clinicApi)).flatMap((claim) =>
            claim.messages.map((m) => m.webhookId),
          );
          return ids.length >= committed.length && ids;
        },
        { timeoutMs: ACK_WAIT_MARGIN_MS, intervalMs: 1_000 },
      );

      // Every event arrived, each stored exactly once (the clinic's API lists one message
      // per webhook-id however often it came: the count proves nothing else slipped in).
      expect(new Set(inbox)).toEqual(new Set(committed));
      expect(inbox).toHaveLength(committed.length);
      // Both workers took part before the kill.
      expect(before.victim).toBeGreaterThan(0);
      expect(before.survivor).toBeGreaterThan(0);

      // At-least-once allows the clinic to see a POST again (the dead worker's in-flight
      // tasks come back after ack_wait); report how many, without asserting a number.
      const posts = [...proxy.posts.values()];
      const redeliveries = posts.reduce((sum, n) => sum + n - 1, 0);
      console.log(
        `worker-crash: ${committed.length} events; attempts logged before the kill: ` +
          `victim ${before.victim}, survivor ${before.survivor}; requests the victim had open ` +
          `at the kill: ${before.victimInFlight}; POSTs ${posts.reduce((a, b) => a + b, 0)}, ` +
          `redelivered ${redeliveries} (${posts.filter((n) => n > 1).length} events); ` +
          `stored twice: ${inbox.length - new Set(inbox).size}`,
      );
    },
    ACK_WAIT_MARGIN_MS + 60_000,
  );
});
