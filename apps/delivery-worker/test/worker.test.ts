import { newId, WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import {
  type AttemptReport,
  AttemptReportSchema,
  CONSUMERS,
  type DeliveryTask,
  deleteEndpointConfig,
  type EndpointConfig,
  openQueue,
  publishDeliveryTask,
  putEndpointConfig,
  type Queue,
  STREAMS,
} from "@claimwire/queue";
import { startNatsServer, type TestNatsServer } from "@claimwire/queue/testing";
import { generateSecret, verifyWebhook } from "@claimwire/webhooks";
import { pino } from "pino";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorker } from "../src/create-worker.ts";
import {
  type ReceivedRequest,
  startHttpServer,
  type TestHttpServer,
  waitFor,
} from "./http-server.ts";

const clinicId = WEBHOOK_EVENT_EXAMPLES["claim.approved"].data.clinicId;
const body = JSON.stringify(WEBHOOK_EVENT_EXAMPLES["claim.approved"]);
const secret = generateSecret();

/** Wall clock plus an offset; every request the receiver gets moves it 2 s forward. */
let clockOffsetMs = 0;
const clock = { now: () => Date.now() + clockOffsetMs };

/** Each path answers with its scripted statuses in turn, then 204. */
const scripts = new Map<string, number[]>();

let nats: TestNatsServer;
let queue: Queue;
let receiver: TestHttpServer;
let dispatcher: Agent;
const stopWorker = new AbortController();
let workerDone: Promise<void>;
const reports: AttemptReport[] = [];
const stopCollector = new AbortController();

beforeAll(async () => {
  nats = await startNatsServer();
  queue = await openQueue({ url: nats.url, name: "delivery-worker-test" });
  receiver = await startHttpServer((req, res) => {
    clockOffsetMs += 2_000;
    const status = scripts.get(req.path)?.shift() ?? 204;
    res.writeHead(status).end(status === 204 ? undefined : "receiver says no");
  });
  dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  workerDone = createWorker({
    queue,
    dispatcher,
    clock,
    config: { workerId: "test-worker", timeoutMs: 5_000, concurrency: 8, retryDelaysMs: [50, 50] },
    logger: pino({ level: "silent" }),
  }).run(stopWorker.signal);

  // Stand in for the insurer's attempt recorder: collect every report on ATTEMPTS.
  const consumer = await queue.js.consumers.get(STREAMS.attempts, CONSUMERS.attemptRecorder);
  const messages = await consumer.consume();
  stopCollector.signal.addEventListener("abort", () => messages.stop());
  void (async () => {
    for await (const msg of messages) {
      reports.push(AttemptReportSchema.parse(msg.json()));
      msg.ack();
    }
  })();
});

afterAll(async () => {
  stopWorker.abort();
  stopCollector.abort();
  await workerDone;
  await queue?.close();
  await dispatcher?.close();
  await receiver?.close();
  await nats?.stop();
});

async function endpoint(path: string, overrides: Partial<EndpointConfig> = {}) {
  const config: EndpointConfig = {
    id: newId("endpoint"),
    clinicId,
    url: `${receiver.url}${path}`,
    enabled: true,
    secrets: [secret],
    ...overrides,
  };
  await putEndpointConfig(queue.endpoints, config);
  return config;
}

async function publishTask(endpointId: string): Promise<DeliveryTask> {
  const task: DeliveryTask = {
    deliveryId: newId("delivery"),
    eventId: newId("event"),
    endpointId,
    clinicId,
    eventType: "claim.approved",
    body,
    committedAt: new Date().toISOString(),
  };
  await publishDeliveryTask(queue.js, task);
  return task;
}

const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === path);
const reportsFor = (task: DeliveryTask) => reports.filter((r) => r.deliveryId === task.deliveryId);

function verify(request: ReceivedRequest) {
  return verifyWebhook({ secret, headers: request.headers, body: request.body, now: clock.now });
}

/** Acked tasks leave the work-queue stream; a nak'ed one stays until it is acked. */
async function waitUntilAllTasksAcked() {
  await waitFor(
    async () => (await queue.jsm.streams.info(STREAMS.deliveries)).state.messages === 0,
    "the DELIVERIES stream to be empty",
  );
}

describe("delivery worker", () => {
  it("POSTs a signed task to its endpoint and reports it delivered", async () => {
    const config = await endpoint("/ok");
    const task = await publishTask(config.id);

    const [request] = await waitFor(
      () => requestsTo("/ok").length === 1 && requestsTo("/ok"),
      "POST",
    );
    expect(request?.method).toBe("POST");
    expect(request?.body).toBe(body);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("claimwire-webhooks/0.1");
    expect(verify(request!).msgId).toBe(task.eventId);

    const [report] = await waitFor(
      () => reportsFor(task).length === 1 && reportsFor(task),
      "report",
    );
    expect(report).toMatchObject({
      deliveryId: task.deliveryId,
      endpointId: config.id,
      eventId: task.eventId,
      attemptNumber: 1,
      outcome: "delivered",
      statusCode: 204,
      error: null,
      nextAttemptAt: null,
    });
    expect(report?.attemptId).toMatch(/^atm_/);
    await waitUntilAllTasksAcked();
  });

  it("retries a failing endpoint, re-signing each attempt, until it answers 2xx", async () => {
    scripts.set("/flaky", [500, 500]);
    const config = await endpoint("/flaky");
    const task = await publishTask(config.id);

    const attempts = await waitFor(
      () => reportsFor(task).length === 3 && reportsFor(task),
      "three attempt reports",
    );
    const requests = requestsTo("/flaky");
    expect(requests).toHaveLength(3);

    const verified = requests.map((r) => verify(r));
    expect(new Set(verified.map((v) => v.msgId))).toEqual(new Set([task.eventId]));
    expect(verified.every((v) => v.body === body)).toBe(true);
    // The clock moved between attempts: each one was signed afresh at send time.
    expect(new Set(verified.map((v) => v.timestamp)).size).toBe(3);
    expect(new Set(requests.map((r) => r.headers["webhook-signature"])).size).toBe(3);

    const byAttempt = [...attempts].sort((a, b) => a.attemptNumber - b.attemptNumber);
    expect(byAttempt.map((r) => [r.attemptNumber, r.outcome, r.statusCode, r.error])).toEqual([
      [1, "failed", 500, "http_500: receiver says no"],
      [2, "failed", 500, "http_500: receiver says no"],
      [3, "delivered", 204, null],
    ]);
    expect(byAttempt[0]?.nextAttemptAt).not.toBeNull();
    expect(byAttempt[2]?.nextAttemptAt).toBeNull();
    await waitUntilAllTasksAcked();
  });

  it("acks a task for a deleted endpoint with a failed report and no POST", async () => {
    const config = await endpoint("/deleted");
    await deleteEndpointConfig(queue.endpoints, config.id);
    const task = await publishTask(config.id);

    const [report] = await waitFor(
      () => reportsFor(task).length === 1 && reportsFor(task),
      "report",
    );
    expect(report).toMatchObject({
      outcome: "failed",
      statusCode: null,
      error: "endpoint_deleted",
      nextAttemptAt: null,
    });
    await waitUntilAllTasksAcked();
    expect(requestsTo("/deleted")).toHaveLength(0);
  });

  it("acks a task for a disabled endpoint with a failed report and no POST", async () => {
    const config = await endpoint("/disabled", { enabled: false });
    const task = await publishTask(config.id);

    const [report] = await waitFor(
      () => reportsFor(task).length === 1 && reportsFor(task),
      "report",
    );
    expect(report).toMatchObject({
      outcome: "failed",
      error: "endpoint_disabled",
      nextAttemptAt: null,
    });
    await waitUntilAllTasksAcked();
    expect(requestsTo("/disabled")).toHaveLength(0);
  });
});
