import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openQueue } from "./connection.ts";
import { publishDeliveryTask } from "./publish.ts";
import { startNatsServer, type TestNatsServer } from "./testing/nats-server.ts";
import { CONSUMERS, STREAMS } from "./topology.ts";

let nats: TestNatsServer;
beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  await nats?.stop();
});

describe("topology", () => {
  it("is created idempotently by every process that starts", async () => {
    const first = await openQueue({ servers: nats.url, name: "first" });
    const second = await openQueue({ servers: nats.url, name: "second" });
    const streams = await second.jsm.streams.names().next();
    expect([...streams].sort()).toEqual(
      expect.arrayContaining([STREAMS.deliveries, STREAMS.attempts]),
    );
    const info = await second.jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers);
    expect(info.config.ack_policy).toBe("explicit");
    await first.close();
    await second.close();
  });

  it("drops a republished attempt, not the next attempt of the same delivery (Nats-Msg-Id dedup)", async () => {
    const queue = await openQueue({ servers: nats.url, name: "dedup" });
    const event = WEBHOOK_EVENT_EXAMPLES["claim.submitted"];
    const task = {
      deliveryId: newId("delivery"),
      eventId: newId("event"),
      endpointId: newId("endpoint"),
      clinicId: event.data.clinicId,
      eventType: event.type,
      attemptNumber: 1,
      trigger: "scheduled" as const,
      body: JSON.stringify(event),
      committedAt: new Date().toISOString(),
    };
    const first = await publishDeliveryTask(queue.js, task);
    const again = await publishDeliveryTask(queue.js, task);
    const next = await publishDeliveryTask(queue.js, { ...task, attemptNumber: 2 });
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    expect(next.duplicate).toBe(false);
    await queue.close();
  });
});
