import { waitFor } from "@claimwire/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimInput, startTestInsurer, type TestInsurer } from "../src/testing/harness.ts";
import { answers, startStandInWorker } from "../src/testing/stand-in-worker.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer({
    start: true,
    env: { DELIVERY_RETRY_SCHEDULE: "0s,50ms", DELIVERY_SCHEDULER_INTERVAL_MS: "20" },
  });
});
afterAll(async () => {
  await h?.stop();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${h.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample line, e.g. `claimwire_deliveries{status="failed"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("/metrics", () => {
  it("reports attempts by outcome, delivery latency, queue depth, deliveries by status and the oldest undelivered", async () => {
    const { caller } = await h.newClinic();
    const endpoint = await caller.endpoints.create({
      url: "https://clinic.example/hooks",
      eventTypes: ["claim.submitted"],
    });
    const { deliveries } = h.store.tables;
    const rows = async () =>
      await h.store.db.select().from(deliveries).where(eq(deliveries.endpointId, endpoint.id));

    // Each delivery fails once (503) and then succeeds.
    const tried = new Set<string>();
    const worker = startStandInWorker(h.queue, (task) => {
      if (tried.has(task.deliveryId)) return answers.ok();
      tried.add(task.deliveryId);
      return answers.status(503);
    });
    try {
      for (let i = 0; i < 3; i++) await caller.claims.submit(claimInput());
      await waitFor("all three deliveries delivered", async () => {
        const all = await rows();
        return all.length === 3 && all.every((d) => d.status === "delivered");
      });
    } finally {
      await worker.stop();
    }
    // With no worker running, the next delivery waits on the stream.
    await caller.claims.submit(claimInput());
    await waitFor("a delivery waiting on the stream", async () =>
      (await rows()).some((d) => d.status === "sending" && d.nextAttemptAt === null),
    );

    const text = await scrape();
    expect(
      sample(text, 'claimwire_delivery_attempts_total{outcome="failed",error_class="http_status"}'),
    ).toBe(3);
    expect(
      sample(text, 'claimwire_delivery_attempts_total{outcome="delivered",error_class="none"}'),
    ).toBe(3);
    expect(sample(text, "claimwire_delivery_latency_seconds_count")).toBe(3);
    expect(sample(text, "claimwire_delivery_latency_seconds_sum")).toBeGreaterThan(0);
    expect(sample(text, 'claimwire_delivery_latency_seconds_bucket{le="+Inf"}')).toBe(3);
    expect(sample(text, 'claimwire_queue_depth{stream="DELIVERIES"}')).toBe(1);
    expect(sample(text, 'claimwire_queue_depth{stream="ATTEMPTS"}')).toBe(0);
    expect(sample(text, 'claimwire_deliveries{status="delivered"}')).toBe(3);
    expect(sample(text, 'claimwire_deliveries{status="sending"}')).toBe(1);
    expect(sample(text, 'claimwire_deliveries{status="failed"}')).toBe(0);
    const age = sample(
      text,
      `claimwire_oldest_undelivered_age_seconds{endpoint_id="${endpoint.id}"}`,
    );
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThan(60);
  });

  it("lists each disabled endpoint with its clinic and reason, and drops it once enabled", async () => {
    const { caller, clinicId } = await h.newClinic();
    const endpoint = await caller.endpoints.create({
      url: "https://clinic.example/disabled-hooks",
      eventTypes: ["claim.submitted"],
    });
    const series = `claimwire_endpoint_disabled{endpoint_id="${endpoint.id}",clinic_id="${clinicId}",reason="manual"}`;
    expect(sample(await scrape(), series)).toBeUndefined();

    await caller.endpoints.disable({ endpointId: endpoint.id });
    expect(sample(await scrape(), series)).toBe(1);

    await caller.endpoints.enable({ endpointId: endpoint.id });
    expect(sample(await scrape(), series)).toBeUndefined();
  });

  it("reports each consumer's pending work, waiting pulls and sequences, which move as a worker consumes", async () => {
    const consumer = 'stream="DELIVERIES",consumer="delivery-workers"';
    const before = await scrape();
    const delivered = sample(before, `claimwire_consumer_delivered_sequence{${consumer}}`)!;
    const ackFloor = sample(before, `claimwire_consumer_ack_floor_sequence{${consumer}}`)!;
    expect(delivered).toBeGreaterThanOrEqual(0);
    expect(
      sample(before, 'claimwire_consumer_pending{stream="ATTEMPTS",consumer="attempt-recorder"}'),
    ).toBe(0);

    const { caller } = await h.newClinic();
    await caller.endpoints.create({
      url: "https://clinic.example/pulled",
      eventTypes: ["claim.submitted"],
    });
    const worker = startStandInWorker(h.queue, () => answers.ok());
    try {
      await waitFor(
        "the worker's pull request waiting at the consumer",
        async () =>
          (sample(await scrape(), `claimwire_consumer_waiting_pulls{${consumer}}`) ?? 0) > 0,
      );
      await caller.claims.submit(claimInput());
      await waitFor("the task handed out and acked", async () => {
        const text = await scrape();
        return (
          sample(text, `claimwire_consumer_delivered_sequence{${consumer}}`)! > delivered &&
          sample(text, `claimwire_consumer_ack_floor_sequence{${consumer}}`)! > ackFloor &&
          sample(text, `claimwire_consumer_pending{${consumer}}`) === 0 &&
          sample(text, `claimwire_consumer_ack_pending{${consumer}}`) === 0
        );
      });
    } finally {
      await worker.stop();
    }
  });

  it("serves the metrics without an API key and nothing else at unknown paths", async () => {
    expect((await fetch(`${h.baseUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/metrics/x`)).status).toBe(404);
  });
});
