import {
  type AttemptReport,
  AttemptReportSchema,
  CONSUMERS,
  ensureTopology,
  STREAMS,
} from "@claimwire/queue";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerHarness, type WorkerHarness } from "./worker-harness.ts";

let h: WorkerHarness;

beforeAll(async () => {
  h = await startWorkerHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("when the attempt report cannot be published", () => {
  it("puts the task back and attempts it again until its report gets through", async () => {
    const receiver = await h.receiver((_req, res) => res.writeHead(204).end());
    const config = await h.endpoint(receiver.url);
    // Without the ATTEMPTS stream, every report publish fails.
    await h.queue.jsm.streams.delete(STREAMS.attempts);
    const task = await h.publishTask(config.id);

    await waitFor("the task to be attempted again", () => receiver.requests.length >= 2);
    const info = await h.queue.jsm.streams.info(STREAMS.deliveries);
    expect(info.state.messages).toBe(1); // not acked: it is still waiting

    await ensureTopology(h.queue.nc, h.queue.jsm);
    const consumer = await h.queue.js.consumers.get(STREAMS.attempts, CONSUMERS.attemptRecorder);
    const report: AttemptReport = await waitFor("the report once ATTEMPTS is back", async () => {
      const msg = await consumer.next({ expires: 1_000 });
      return msg ? AttemptReportSchema.parse(msg.json()) : undefined;
    });
    expect(report).toMatchObject({
      deliveryId: task.deliveryId,
      attemptNumber: 1,
      outcome: "delivered",
    });
    await h.waitUntilAllTasksAcked();
    // Every request carried the same webhook-id, so the receiver stores the event once.
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"]))).toEqual(
      new Set([task.eventId]),
    );
  });
});
