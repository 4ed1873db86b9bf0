import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openQueue, type Queue } from "./connection.ts";
import { consumeMessages, createConsumerLoop } from "./consume.ts";
import { startNatsServer, type TestNatsServer } from "./testing/nats-server.ts";
import { CONSUMERS, STREAMS } from "./topology.ts";

let nats: TestNatsServer;
let queue: Queue;
beforeAll(async () => {
  nats = await startNatsServer();
  queue = await openQueue({ url: nats.url, name: "consume-test" });
});
afterAll(async () => {
  await queue?.close();
  await nats?.stop();
});

const consumer = {
  stream: STREAMS.attempts,
  consumer: CONSUMERS.attemptRecorder,
  schema: z.unknown(),
  handle: async () => {},
};

describe("consume loops", () => {
  it("end when aborted while consume() is still being set up", async () => {
    const abort = new AbortController();
    const loop = consumeMessages({ ...consumer, js: queue.js, signal: abort.signal });
    abort.abort(); // before the consumer lookup has answered
    await expect(loop).resolves.toBeUndefined();
  });

  it("can be started, stopped and started again", async () => {
    const loop = createConsumerLoop({ ...consumer, js: queue.js });
    loop.start();
    await loop.stop();
    loop.start();
    await loop.stop();
  });
});
