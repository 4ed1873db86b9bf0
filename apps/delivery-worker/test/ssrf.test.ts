import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;

// The production default: no private network allowed, so loopback receivers are refused.
beforeAll(async () => {
  h = await startWorkerHarness({ allowPrivateNetworks: [] });
});
afterAll(async () => {
  await h?.close();
});

describe("the worker's SSRF guard with an empty allow-list", () => {
  it("reports ssrf_blocked for a loopback receiver, which never sees a request", async () => {
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    const port = new URL(receiver.url).port;
    const urls = [
      receiver.url, // an IP literal: checked before dialing
      `http://localhost:${port}/hooks`, // a hostname: checked on the address DNS returned
      `http://[::ffff:127.0.0.1]:${port}/`, // IPv4-mapped IPv6
    ];
    for (const url of urls) {
      const task = await h.publishTask((await h.endpoint(url)).id);
      const [report] = await h.waitForReports(task);
      expect(report, url).toMatchObject({
        outcome: "failed",
        statusCode: null,
        errorClass: "ssrf_blocked",
        responseBody: null,
      });
      expect(report?.error, url).toMatch(/(127\.0\.0\.1|::1).* is in the loopback range/);
    }
    await h.waitUntilAllTasksAcked();
    expect(receiver.requests).toHaveLength(0);
  });
});
