import type { ServerResponse } from "node:http";
import type { DeliveryTask } from "@claimwire/queue";
import type { Counter, Gauge } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type ReceivedRequest, waitFor } from "./http-server.ts";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;

async function sampleOf(metric: Counter | Gauge): Promise<number> {
  return (await metric.get()).values[0]?.value ?? 0;
}

/** A receiver's request handler that counts the requests it has open at once. */
function countingOpen(answer: (res: ServerResponse, done: () => void) => void) {
  const counts = { open: 0, maxOpen: 0 };
  const respond = (_req: ReceivedRequest, res: ServerResponse) => {
    counts.open += 1;
    counts.maxOpen = Math.max(counts.maxOpen, counts.open);
    answer(res, () => {
      counts.open -= 1;
      res.writeHead(204).end();
    });
  };
  return { counts, respond };
}

beforeAll(async () => {
  h = await startWorkerHarness({ concurrency: 8 });
});
afterAll(async () => {
  await h?.close();
});

describe("per-endpoint concurrency cap (issue 3 item 3)", () => {
  it("a slow endpoint gets at most maxConcurrency requests and holds up no other endpoint", async () => {
    // The slow endpoint holds every request until the gate opens, then answers each one
    // after a short delay; it records how many requests it had open at once.
    let open = 0;
    let maxOpen = 0;
    let gateOpen = false;
    const waiting: (() => void)[] = [];
    const slow = await h.receiver((_req, res) => {
      open += 1;
      maxOpen = Math.max(maxOpen, open);
      const answer = () =>
        setTimeout(() => {
          open -= 1;
          res.writeHead(204).end();
        }, 20);
      if (gateOpen) answer();
      else waiting.push(answer);
    });
    const fast = await h.receiver((_req, res) => res.writeHead(204).end());
    const slowConfig = await h.endpoint(slow.url, { maxConcurrency: 2 });
    const fastConfig = await h.endpoint(fast.url, { maxConcurrency: 8 });

    const slowTasks: DeliveryTask[] = [];
    for (let i = 0; i < 12; i++) slowTasks.push(await h.publishTask(slowConfig.id));
    const fastTasks: DeliveryTask[] = [];
    for (let i = 0; i < 6; i++) fastTasks.push(await h.publishTask(fastConfig.id));

    // Every fast delivery completes while the slow endpoint still holds its two requests
    // and ten of its tasks wait their turn (in the worker, then back in JetStream).
    for (const task of fastTasks) await h.waitForReports(task);
    await waitFor(() => open === 2, "the slow endpoint to hold two requests");
    expect(slowTasks.flatMap((t) => h.reportsFor(t))).toHaveLength(0);

    gateOpen = true;
    for (const answer of waiting.splice(0)) answer();
    for (const task of slowTasks) await h.waitForReports(task);

    expect(maxOpen).toBe(2);
    expect(slow.requests).toHaveLength(12);
    const order = h.reports.map((r) => r.endpointId);
    const lastFast = order.lastIndexOf(fastConfig.id);
    const firstSlow = order.indexOf(slowConfig.id);
    expect(lastFast).toBeLessThan(firstSlow);
    expect(h.reports.every((r) => r.outcome === "delivered")).toBe(true);
    // Deferred tasks were put back without an attempt: one report per task, no more.
    expect(h.reports).toHaveLength(18);
    await h.waitUntilAllTasksAcked();
  });

  it("puts a slow endpoint's excess back, within its cap, while a fast endpoint's tasks go first", async () => {
    const deferredBefore = await sampleOf(h.metrics.deferred);
    const { counts, respond } = countingOpen((_res, done) => setTimeout(done, 3_000));
    const slow = await h.receiver(respond);
    const fast = await h.receiver((_req, res) => res.writeHead(204).end());
    const slowConfig = await h.endpoint(slow.url, { maxConcurrency: 2 });
    const fastConfig = await h.endpoint(fast.url, { maxConcurrency: 8 });

    const slowTasks: DeliveryTask[] = [];
    for (let i = 0; i < 20; i++) slowTasks.push(await h.publishTask(slowConfig.id));
    const fastTasks: DeliveryTask[] = [];
    for (let i = 0; i < 10; i++) fastTasks.push(await h.publishTask(fastConfig.id));

    for (const task of fastTasks) await h.waitForReports(task);
    // Two at a time, 3 s each: about half a minute for the twenty.
    await waitFor(
      () => slowTasks.every((task) => h.reportsFor(task).length > 0),
      "every slow task's report",
      90_000,
    );

    const order = h.reports.map((r) => r.endpointId);
    expect(order.lastIndexOf(fastConfig.id)).toBeLessThan(order.indexOf(slowConfig.id));
    expect(counts.maxOpen).toBe(2);
    expect(await sampleOf(h.metrics.deferred)).toBeGreaterThan(deferredBefore);
    // Put back without an attempt: one request and one report per task.
    expect(slow.requests).toHaveLength(20);
    expect(h.reports.filter((r) => r.endpointId === slowConfig.id)).toHaveLength(20);
    await h.waitUntilAllTasksAcked();
  }, 120_000);
});

describe("local waiting", () => {
  it("sends a burst to a fast endpoint back to back, waiting locally instead of deferring", async () => {
    // A generous bound: how long requests take on a loaded test machine must not decide
    // the outcome (the estimate itself is covered in src/endpoint-lanes.test.ts).
    const b = await startWorkerHarness({ maxLocalWaitMs: 5_000 });
    onTestFinished(() => b.close());
    const { counts, respond } = countingOpen((_res, done) => setImmediate(done));
    const fast = await b.receiver(respond);
    const config = await b.endpoint(fast.url, { maxConcurrency: 2 });

    let peakWaiting = 0;
    const sampling = setInterval(async () => {
      peakWaiting = Math.max(peakWaiting, await sampleOf(b.metrics.localWaiting));
    }, 2);
    const tasks: DeliveryTask[] = [];
    for (let i = 0; i < 200; i++) tasks.push(await b.publishTask(config.id));
    for (const task of tasks) await b.waitForReports(task);
    clearInterval(sampling);

    expect(
      b.reports.filter((r) => r.endpointId === config.id && r.outcome === "delivered"),
    ).toHaveLength(200);
    expect(fast.requests).toHaveLength(200);
    expect(counts.maxOpen).toBeLessThanOrEqual(2);
    // The tasks beyond the two slots waited here, and none went back to JetStream.
    expect(peakWaiting).toBeGreaterThan(0);
    expect(await sampleOf(b.metrics.deferred)).toBe(0);
    expect(await sampleOf(b.metrics.localWaiting)).toBe(0);
    await b.waitUntilAllTasksAcked();
  });
});

describe("shutdown", () => {
  it("puts the locally waiting tasks back at once, for another worker to take", async () => {
    // A long bound so nothing waiting is put back before the shutdown.
    const own = await startWorkerHarness({ maxLocalWaitMs: 5_000 });
    try {
      // The first request is held; every later one is answered at once.
      const held: (() => void)[] = [];
      const receiver = await own.receiver((_req, res) => {
        if (held.length === 0 && receiver.requests.length === 1) {
          held.push(() => res.writeHead(204).end());
        } else res.writeHead(204).end();
      });
      const config = await own.endpoint(receiver.url, { maxConcurrency: 1 });
      const first = await own.publishTask(config.id);
      await waitFor(() => receiver.requests.length === 1, "the first request");
      const waiting: DeliveryTask[] = [];
      for (let i = 0; i < 4; i++) waiting.push(await own.publishTask(config.id));
      await waitFor(
        async () => (await sampleOf(own.metrics.localWaiting)) === 4,
        "four tasks waiting in the worker",
      );

      // The worker stops: it finishes its held request but hands back the waiting tasks
      // now, so a second worker, started after the hand-back, delivers each of them once
      // while the first request is still open (without the hand-back they would return
      // only after the 60 s ack_wait).
      const stopped = own.worker.stop();
      own.startWorker();
      for (const task of waiting) await own.waitForReports(task);
      expect(own.reportsFor(first)).toHaveLength(0);
      expect(receiver.requests).toHaveLength(5);
      expect(await sampleOf(own.metrics.localWaiting)).toBe(0);
      expect(await sampleOf(own.metrics.deferred)).toBe(0);

      for (const answer of held.splice(0)) answer();
      await stopped;
      await own.waitForReports(first);
      expect(receiver.requests).toHaveLength(5);
      await own.waitUntilAllTasksAcked();
    } finally {
      await own.close();
    }
  });
});
