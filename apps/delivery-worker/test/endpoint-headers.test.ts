// An endpoint's custom headers, through a real worker, real JetStream and real HTTP
// receivers on loopback.
import type { DeliveryTask } from "@claimwire/queue";
import { verifyWebhook } from "@claimwire/webhooks";
import { afterEach, describe, expect, it } from "vitest";
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
