import type { DeliveryTask } from "@claimwire/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "./http-server.ts";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;

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
    // and ten of its tasks wait their turn in the queue.
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
});
