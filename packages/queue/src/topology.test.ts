import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openQueue } from "./connection.ts";
import { publishDomainEvent } from "./publish.ts";
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
    const first = await openQueue({ url: nats.url, name: "first" });
    const second = await openQueue({ url: nats.url, name: "second" });
    const streams = await second.jsm.streams.names().next();
    expect([...streams].sort()).toEqual(
      expect.arrayContaining([STREAMS.events, STREAMS.deliveries, STREAMS.attempts]),
    );
    const info = await second.jsm.consumers.info(STREAMS.deliveries, CONSUMERS.deliveryWorkers);
    expect(info.config.ack_policy).toBe("explicit");
    await first.close();
    await second.close();
  });

  it("drops a republished event with the same id (Nats-Msg-Id dedup)", async () => {
    const queue = await openQueue({ url: nats.url, name: "dedup" });
    const msg = {
      eventId: newId("event"),
      clinicId: WEBHOOK_EVENT_EXAMPLES["claim.submitted"].data.clinicId,
      claimId: WEBHOOK_EVENT_EXAMPLES["claim.submitted"].data.claimId,
      committedAt: new Date().toISOString(),
      event: WEBHOOK_EVENT_EXAMPLES["claim.submitted"],
    };
    const first = await publishDomainEvent(queue.js, msg);
    const again = await publishDomainEvent(queue.js, msg);
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
    await queue.close();
  });
});
