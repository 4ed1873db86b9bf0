import { deleteEndpointConfig } from "@claimwire/queue";
import {
  generateSecret,
  generateSigningKeyPair,
  verifyWebhook,
  WebhookVerificationError,
} from "@claimwire/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReceivedRequest } from "./http-server.ts";
import { body, startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;

beforeAll(async () => {
  h = await startWorkerHarness();
});
afterAll(async () => {
  await h?.close();
});

function verifies(request: ReceivedRequest, secret: string | string[]): boolean {
  try {
    verifyWebhook({
      secret,
      headers: request.headers,
      body: request.body,
      now: () => h.clock.now(),
    });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

describe("delivery worker", () => {
  it("POSTs a signed task, reports it delivered with what the receiver said, and acks", async () => {
    const receiver = await h.receiver((_req, res) =>
      res.writeHead(200, { "content-type": "text/plain", "x-request-id": "req_42" }).end("thanks"),
    );
    const config = await h.endpoint(`${receiver.url}/hooks`);
    const task = await h.publishTask(config.id);

    const [report] = await h.waitForReports(task);
    const [request] = receiver.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/hooks");
    expect(request?.body).toBe(body);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("claimwire-webhooks/0.1");
    expect(request?.headers["webhook-id"]).toBe(task.eventId);
    expect(verifies(request!, config.secrets[0]!)).toBe(true);

    expect(report).toMatchObject({
      deliveryId: task.deliveryId,
      endpointId: config.id,
      eventId: task.eventId,
      attemptNumber: 1,
      trigger: "scheduled",
      outcome: "delivered",
      statusCode: 200,
      errorClass: null,
      error: null,
      retryAfterMs: null,
      responseBody: "thanks",
    });
    expect(report?.responseHeaders).toMatchObject({
      "content-type": "text/plain",
      "x-request-id": "req_42",
    });
    expect(Object.keys(report?.responseHeaders ?? {})).not.toContain("connection");
    expect(report?.attemptId).toMatch(/^atm_/);
    await h.waitUntilAllTasksAcked();
  });

  it("reports a failing attempt once and acks it: retrying is the insurer's decision", async () => {
    const receiver = await h.receiver((_req, res) =>
      res.writeHead(500, { "content-type": "text/plain" }).end("receiver says no"),
    );
    const config = await h.endpoint(receiver.url);
    const task = await h.publishTask(config.id);

    const [report] = await h.waitForReports(task);
    expect(report).toMatchObject({
      outcome: "failed",
      statusCode: 500,
      errorClass: "http_status",
      error: "HTTP 500",
      responseBody: "receiver says no",
      responseHeaders: { "content-type": "text/plain" },
    });
    // Acked: the task left the work queue, so nothing will send it again on its own.
    await h.waitUntilAllTasksAcked();
    expect(receiver.requests).toHaveLength(1);
    expect(h.reportsFor(task)).toHaveLength(1);
  });

  it("signs each attempt the insurer publishes afresh, under the same webhook-id", async () => {
    const statuses = [500, 204, 204];
    const receiver = await h.receiver((_req, res) => {
      h.clock.offsetMs += 2_000; // each attempt happens later than the one before
      res.writeHead(statuses.shift() ?? 204).end();
    });
    const config = await h.endpoint(receiver.url);
    const first = await h.publishTask(config.id);
    await h.waitForReports(first);
    const retry = { deliveryId: first.deliveryId, eventId: first.eventId };
    await h.publishTask(config.id, { ...retry, attemptNumber: 2 });
    await h.waitForReports(first, 2);
    await h.publishTask(config.id, { ...retry, attemptNumber: 3, trigger: "manual" });
    const reports = await h.waitForReports(first, 3);

    expect(reports.map((r) => [r.attemptNumber, r.trigger, r.outcome, r.statusCode])).toEqual([
      [1, "scheduled", "failed", 500],
      [2, "scheduled", "delivered", 204],
      [3, "manual", "delivered", 204],
    ]);
    const requests = receiver.requests;
    expect(new Set(requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([first.eventId]));
    expect(new Set(requests.map((r) => r.headers["webhook-timestamp"])).size).toBe(3);
    expect(new Set(requests.map((r) => r.headers["webhook-signature"])).size).toBe(3);
    expect(requests.every((r) => r.body === body)).toBe(true);
  });

  it("reads Retry-After from a 429 and a 503", async () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const answers = [
      [429, { "retry-after": "120" }],
      [503, { "retry-after": inOneMinute }],
    ] as const;
    const receiver = await h.receiver((req, res) => {
      const [status, headers] = answers[Number(req.path.slice(1))]!;
      res.writeHead(status, headers).end();
    });
    const tooMany = await h.publishTask((await h.endpoint(`${receiver.url}/0`)).id);
    const unavailable = await h.publishTask((await h.endpoint(`${receiver.url}/1`)).id);

    const [tooManyReport] = await h.waitForReports(tooMany);
    const [unavailableReport] = await h.waitForReports(unavailable);
    expect(tooManyReport).toMatchObject({ statusCode: 429, retryAfterMs: 120_000 });
    expect(tooManyReport?.responseHeaders["retry-after"]).toBe("120");
    expect(unavailableReport?.statusCode).toBe(503);
    expect(unavailableReport?.retryAfterMs).toBeGreaterThan(50_000);
    expect(unavailableReport?.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it("keeps 20 KB of a large response body, whether it drains it or drops the connection", async () => {
    const sizes = [100 * 1024, 2 * 1024 * 1024];
    const receiver = await h.receiver((req, res) => {
      const size = sizes[Number(req.path.slice(1))]!;
      res.writeHead(500, { "content-type": "text/plain" }).end("é".repeat(size / 2));
    });
    const tasks = [
      await h.publishTask((await h.endpoint(`${receiver.url}/0`)).id),
      await h.publishTask((await h.endpoint(`${receiver.url}/1`)).id),
    ];
    for (const task of tasks) {
      const [report] = await h.waitForReports(task);
      expect(report?.statusCode).toBe(500);
      // 20 KB of two-byte characters: 10 240 of them, none cut in half.
      expect(report?.responseBody).toBe("é".repeat(10 * 1024));
    }
  });

  it("signs with the current keys and unexpired retiring keys, HMAC and ed25519", async () => {
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    const [current, retiring, expired] = [generateSecret(), generateSecret(), generateSecret()];
    const ed25519 = generateSigningKeyPair();
    const config = await h.endpoint(receiver.url, {
      secrets: [current, ed25519.secretKey],
      retiringSecrets: [
        { secret: retiring, expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
        { secret: expired, expiresAt: new Date(Date.now() - 1_000).toISOString() },
      ],
    });
    await h.waitForReports(await h.publishTask(config.id));

    const [request] = receiver.requests;
    const signatures = String(request?.headers["webhook-signature"]).split(" ");
    expect(signatures.map((s) => s.split(",")[0])).toEqual(["v1", "v1a", "v1"]);
    expect(verifies(request!, current)).toBe(true);
    expect(verifies(request!, ed25519.publicKey)).toBe(true);
    expect(verifies(request!, retiring)).toBe(true);
    expect(verifies(request!, expired)).toBe(false);
  });

  it("reports a deleted, a disabled and a broken endpoint without POSTing", async () => {
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    const deleted = await h.endpoint(receiver.url);
    await deleteEndpointConfig(h.queue.endpoints, deleted.id);
    const disabled = await h.endpoint(receiver.url, { enabled: false });
    const badKey = await h.endpoint(receiver.url, { secrets: ["whsk_not-a-key"] });
    const badUrl = await h.endpoint("ftp://files.clinic.example/hooks");
    const broken = await h.endpoint(receiver.url);
    await h.queue.endpoints.put(broken.id, JSON.stringify({ ...broken, retiringSecrets: "lots" }));

    const cases = [
      [deleted, "endpoint_deleted", /no longer exists/],
      [disabled, "endpoint_disabled", /disabled/],
      [badKey, "endpoint_config_invalid", /signing key/],
      [badUrl, "endpoint_config_invalid", /URL/],
      [broken, "endpoint_config_invalid", /retiringSecrets/],
    ] as const;
    for (const [config, errorClass, error] of cases) {
      const [report] = await h.waitForReports(await h.publishTask(config.id));
      expect(report).toMatchObject({ outcome: "failed", statusCode: null, errorClass });
      expect(report?.error).toMatch(error);
      expect(report?.error).not.toContain("whsk_not-a-key");
    }
    await h.waitUntilAllTasksAcked();
    expect(receiver.requests).toHaveLength(0);
  });

  it("reports a refused connection and a timeout by class", async () => {
    const hung = await h.receiver(() => {});
    const closed = await h.receiver(() => {});
    await closed.close();
    const timeout = await h.publishTask((await h.endpoint(hung.url)).id);
    const refused = await h.publishTask((await h.endpoint(closed.url)).id);
    const [refusedReport] = await h.waitForReports(refused);
    expect(refusedReport).toMatchObject({ errorClass: "connection_refused", statusCode: null });
    const [timeoutReport] = await h.waitForReports(timeout);
    expect(timeoutReport).toMatchObject({ errorClass: "timeout", responseBody: null });
  });
});
