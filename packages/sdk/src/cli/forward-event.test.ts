import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type FeedEvent, WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { generateSecret } from "@claimwire/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { verifyWebhook } from "../verify-webhook.ts";
import { forwardEvent } from "./forward-event.ts";

const event: FeedEvent = {
  id: "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
  type: "claim.approved",
  occurredAt: "2026-12-03T10:00:00.000Z",
  data: WEBHOOK_EVENT_EXAMPLES["claim.approved"],
};

type Received = { headers: IncomingHttpHeaders; body: string; method?: string | undefined };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function receiver(status: number) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        method: req.method,
      });
      res.writeHead(status).end("ignored");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks`, received };
}

describe("forwardEvent", () => {
  it("POSTs the event signed with the secret, verifiable by the SDK's verifyWebhook", async () => {
    const secret = generateSecret();
    const local = await receiver(204);
    const result = await forwardEvent({ url: local.url, secret, event });
    expect(result).toMatchObject({ ok: true, status: 204 });

    const [request] = local.received;
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("claimwire-webhooks/0.1");
    const verified = verifyWebhook({
      body: request?.body ?? "",
      headers: request?.headers ?? {},
      secret,
    });
    expect(verified.id).toBe(event.id);
    expect(verified.known && verified.event).toEqual(event.data);
  });

  it("reports the receiver's status, whatever it is", async () => {
    const local = await receiver(500);
    expect(await forwardEvent({ url: local.url, secret: generateSecret(), event })).toMatchObject({
      ok: true,
      status: 500,
    });
  });

  it("reports a receiver that is down as an error, without throwing", async () => {
    const local = await receiver(204);
    await closers.splice(0)[0]?.();
    const result = await forwardEvent({ url: local.url, secret: generateSecret(), event });
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/ECONNREFUSED/) });
  });
});
