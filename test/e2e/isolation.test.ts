import { CONSUMERS, openQueue, STREAMS } from "@claimwire/queue";
import { createInsurerClient } from "@claimwire/sdk";
import { freePort, waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointDeliveries } from "../src/harness/insurer-api-reads.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";
import {
  type Arrival,
  percentile,
  startTestReceiver,
  type TestReceiver,
} from "../src/harness/test-receiver.ts";

/**
 * One bad endpoint hurts nobody else. A dead clinic with 5,000 waiting
 * retries and a slow clinic (10 s per answer) exist while a healthy clinic receives a
 * burst; the healthy deliveries are measured against the same burst with no bad
 * neighbours, in the same run. The figures are printed; the assertions are about
 * capacity, not about milliseconds.
 */
const DEAD_RETRIES = 5_000;
const SLOW_EVENTS = 60;
const BURST = 200;
const SLOW_ANSWER_MS = 10_000;

let sys: RunningSystem;
let healthy: TestReceiver;
let slow: TestReceiver;

async function newClinicWithEndpoint(name: string, url: string) {
  const { apiKey } = await sys.staff.clinics.create.mutate({ name });
  const client = createInsurerClient({ baseUrl: sys.insurerUrl, apiKey });
  const endpoint = await client.endpoints.create.mutate({ url, eventTypes: ["claim.submitted"] });
  return { client, endpointId: endpoint.id };
}

async function submitMany(client: ReturnType<typeof createInsurerClient>, count: number) {
  for (let done = 0; done < count; done += 100) {
    const batch = Math.min(100, count - done);
    await Promise.all(
      Array.from({ length: batch }, () => client.claims.submit.mutate(sampleClaim())),
    );
  }
}

function latencies(arrivals: readonly Arrival[]): number[] {
  return arrivals.map((a) => a.receivedAt - Date.parse(JSON.parse(a.body).timestamp));
}

/** The endpoint's deliveries in `status`, counted by paging through the staff API's list. */
async function countDeliveries(endpointId: string, status: "retrying"): Promise<number> {
  return (await endpointDeliveries(sys.staff, endpointId, status)).length;
}

beforeAll(async () => {
  sys = await startSystem({
    // After the first attempt a dead endpoint's delivery waits an hour: long enough that
    // all 5,000 are waiting during the whole test.
    insurerEnv: { DELIVERY_RETRY_SCHEDULE: "0s,1h", ENDPOINT_DEFAULT_MAX_CONCURRENCY: "8" },
  });
  healthy = await startTestReceiver();
  slow = await startTestReceiver({ delayMs: SLOW_ANSWER_MS });
});
afterAll(async () => {
  await healthy?.close();
  await slow?.close();
  await sys?.stop();
});

describe("isolation between endpoints", () => {
  it("delivers a healthy clinic's burst undelayed beside a dead and a slow clinic", async () => {
    const good = await newClinicWithEndpoint("Healthy Clinic", healthy.url);

    // Warm-up (JIT, connections), then the baseline: the burst alone.
    await submitMany(good.client, 50);
    await waitFor("the warm-up", () => healthy.arrivals.length >= 50);
    healthy.arrivals.splice(0);
    await submitMany(good.client, BURST);
    await waitFor("the baseline burst", () => healthy.arrivals.length >= BURST);
    const baseline = latencies(healthy.arrivals.splice(0));

    // A dead clinic (nothing listens on its port) with 5,000 retries waiting.
    const deadPort = await freePort();
    const dead = await newClinicWithEndpoint("Dead Clinic", `http://127.0.0.1:${deadPort}/hook`);
    await submitMany(dead.client, DEAD_RETRIES);
    await waitFor(
      `${DEAD_RETRIES} waiting retries for the dead endpoint`,
      async () => (await countDeliveries(dead.endpointId, "retrying")) >= DEAD_RETRIES,
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );

    // A slow clinic with more work than its concurrency cap lets through at once.
    const slowClinic = await newClinicWithEndpoint("Slow Clinic", slow.url);
    await submitMany(slowClinic.client, SLOW_EVENTS);
    await waitFor("the slow endpoint to be busy", () => slow.open() > 0);

    // The same burst again, now beside both.
    await submitMany(good.client, BURST);
    await waitFor("the burst beside the bad neighbours", () => healthy.arrivals.length >= BURST);
    const withNeighbours = latencies(healthy.arrivals);

    // The burst finished while the slow endpoint still held requests open: it never
    // waited for them.
    expect(slow.open()).toBeGreaterThan(0);
    expect(slow.arrivals.length).toBeLessThan(SLOW_EVENTS);
    // The dispatcher keeps at most 8 of an endpoint's deliveries in flight, whatever the
    // number of workers.
    expect(slow.maxOpen()).toBeLessThanOrEqual(8);

    // The waiting retries and the slow endpoint's excess are deliveries the insurer keeps
    // (its API lists them), not messages held by the live consumer: JetStream holds at
    // most its window.
    const queue = await openQueue({ servers: sys.nats.url, name: "isolation-probe" });
    const info = await queue.jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers);
    await queue.close();
    const deadWaitingRetries = await countDeliveries(dead.endpointId, "retrying");
    expect(deadWaitingRetries).toBeGreaterThanOrEqual(DEAD_RETRIES);
    expect(info.num_ack_pending + info.num_pending).toBeLessThanOrEqual(SLOW_EVENTS);

    const figures = {
      baselineP50: percentile(baseline, 50),
      baselineP99: percentile(baseline, 99),
      neighboursP50: percentile(withNeighbours, 50),
      neighboursP99: percentile(withNeighbours, 99),
      deadWaitingRetries,
      slowOpenRequests: slow.open(),
      deliveriesConsumerAckPending: info.num_ack_pending,
      deliveriesConsumerPending: info.num_pending,
    };
    console.log(`isolation (commit → healthy receiver, ms): ${JSON.stringify(figures)}`);
  }, 300_000);
});
