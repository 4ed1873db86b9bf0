// An endpoint's custom headers and rate limit, through a real worker, real JetStream and
// real HTTP receivers on loopback (issue 5 item 2).
import type { AttemptReport, DeliveryTask } from "@claimwire/queue";
import { verifyWebhook } from "@claimwire/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "./http-server.ts";
import { body, startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

const harnesses: WorkerHarness[] = [];
async function harness(options?: Parameters<typeof startWorkerHarness>[0]) {
  const h = await startWorkerHarness(options);
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

/** The most attempts that started within any `windowMs` (by the reports' startedAt). */
function mostStartedWithin(reports: readonly AttemptReport[], windowMs: number): number {
  const starts = reports.map((r) => Date.parse(r.startedAt)).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < starts.length; j++) {
    while (starts[j]! - starts[i]! >= windowMs) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe("custom headers", () => {
  it("sends the endpoint's headers on every attempt, with a signature that still verifies", async () => {
    const h = await harness();
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    const config = await h.endpoint(receiver.url, {
      headers: { "X-Clinic-Route": "north", Authorization: "Basic Y2xpbmljOnJvdXRl" },
    });
    const first = await h.publishTask(config.id);
    await h.waitForReports(first);
    // A retry of the same delivery (attempt 2) carries them too.
    const retry = await h.publishTask(config.id, {
      deliveryId: first.deliveryId,
      eventId: first.eventId,
      attemptNumber: 2,
    });
    await h.waitForReports(retry, 2);

    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) {
      expect(request.headers["x-clinic-route"]).toBe("north");
      expect(request.headers.authorization).toBe("Basic Y2xpbmljOnJvdXRl");
      const verified = verifyWebhook({
        secret: config.secrets[0]!,
        headers: request.headers,
        body: request.body,
      });
      expect(verified.msgId).toBe(first.eventId);
    }
  });

  it("never lets an endpoint's header replace the signature, body or connection headers", async () => {
    const h = await harness();
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    // Written straight to KV, past the insurer's validation, as a stale or tampered config would be.
    const config = await h.endpoint(receiver.url, {
      headers: {
        "Webhook-Signature": "v1,forged",
        "webhook-id": "msg_forged",
        "Content-Type": "text/plain",
        "Content-Length": "1",
        Host: "elsewhere.example",
        "X-Kept": "yes",
      },
    });
    const task: DeliveryTask = await h.publishTask(config.id);
    const [report] = await h.waitForReports(task);

    expect(report?.outcome).toBe("delivered");
    const [request] = receiver.requests;
    expect(request?.body).toBe(body);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["webhook-id"]).toBe(task.eventId);
    expect(request?.headers.host).toBe(new URL(receiver.url).host);
    expect(request?.headers["x-kept"]).toBe("yes");
    expect(
      verifyWebhook({
        secret: config.secrets[0]!,
        headers: request?.headers ?? {},
        body: request?.body ?? "",
      }).msgId,
    ).toBe(task.eventId);
  });
});

describe("rate limit", () => {
  it("starts at most the endpoint's rate per second, delivers every task, and holds no other endpoint", async () => {
    const h = await harness({ concurrency: 8 });
    const limited = await h.receiver((_req, res) => res.writeHead(204).end());
    const free = await h.receiver((_req, res) => res.writeHead(204).end());
    const limitedConfig = await h.endpoint(limited.url, { rateLimitPerSecond: 4 });
    const freeConfig = await h.endpoint(free.url);

    const limitedTasks: DeliveryTask[] = [];
    for (let i = 0; i < 12; i++) limitedTasks.push(await h.publishTask(limitedConfig.id));
    const freeTasks: DeliveryTask[] = [];
    for (let i = 0; i < 8; i++) freeTasks.push(await h.publishTask(freeConfig.id));

    for (const task of freeTasks) await h.waitForReports(task);
    // The unlimited endpoint's tasks, published after, do not wait for the limited ones.
    expect(limitedTasks.filter((task) => h.reportsFor(task).length > 0).length).toBeLessThan(12);
    await waitFor(
      () => limitedTasks.every((task) => h.reportsFor(task).length > 0),
      "every rate-limited task's report",
      60_000,
    );

    const limitedReports = h.reports.filter((r) => r.endpointId === limitedConfig.id);
    expect(limitedReports).toHaveLength(12); // put back without an attempt: one report each
    expect(limitedReports.every((r) => r.outcome === "delivered")).toBe(true);
    // A bucket of one token, then one every 250 ms: no second holds more than 4 + 1 starts.
    expect(mostStartedWithin(limitedReports, 1_000)).toBeLessThanOrEqual(5);
    await h.waitUntilAllTasksAcked();
  }, 90_000);

  it("splits the limit between DELIVERY_WORKER_COUNT workers, so together they stay within it", async () => {
    const h = await harness({ workerCount: 2 });
    h.startWorker();
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    const config = await h.endpoint(receiver.url, { rateLimitPerSecond: 4 });
    const tasks: DeliveryTask[] = [];
    for (let i = 0; i < 10; i++) tasks.push(await h.publishTask(config.id));
    await waitFor(
      () => tasks.every((task) => h.reportsFor(task).length > 0),
      "every task's report",
      60_000,
    );
    // Each worker: 2 per second, a bucket of one. Both together: at most 4 + 2 in a second.
    expect(mostStartedWithin(h.reports, 1_000)).toBeLessThanOrEqual(6);
    expect(receiver.requests).toHaveLength(10);
    await h.waitUntilAllTasksAcked();
  }, 90_000);
});
