import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createInsurerClient, verifyWebhook, type WebhookEvent } from "@claimwire/sdk";
import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

/**
 * The operational events across processes: two insurer processes on one PostgreSQL
 * (either may record a worker's report), a real delivery worker and real HTTP. An endpoint
 * that answers 503 makes its delivery fail to the dead letter, then answers 204 again; the
 * clinic's operations endpoint receives, signed, delivery.failing, delivery.exhausted and
 * endpoint.recovered once each, and the broken endpoint none of them.
 */

type Received = { webhookId: string; body: string; headers: IncomingHttpHeaders };

/** A receiver answering `status()` to every POST, keeping what it received. */
async function startReceiver(status: () => number) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        webhookId: String(req.headers["webhook-id"]),
        body: Buffer.concat(chunks).toString(),
        headers: req.headers,
      });
      res.writeHead(status()).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let sys: RunningSystem;
let brokenStatus = 503;
let broken: Awaited<ReturnType<typeof startReceiver>>;
let ops: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  // Six attempts within about 1.5 s (LOCAL_INSURER_ENV); delivery.failing after the third.
  sys = await startSystem({ insurers: 2, postgres: true, quiet: true });
  broken = await startReceiver(() => brokenStatus);
  ops = await startReceiver(() => 204);
}, 60_000);
afterAll(async () => {
  await broken?.close();
  await ops?.close();
  await sys?.stop();
});

describe("operational events, two insurer processes, a real worker", () => {
  it("tell the operations endpoint, once each and signed, that a delivery fails, is dead-lettered and its endpoint recovers", async () => {
    const { apiKey } = await sys.staff.clinics.create.mutate({ name: "Ops Clinic" });
    const client = createInsurerClient({ baseUrl: sys.insurerUrl, apiKey });
    const brokenEndpoint = await client.endpoints.create.mutate({
      url: broken.url,
      eventTypes: ["claim.submitted", "delivery.*", "endpoint.*"],
    });
    const opsEndpoint = await client.endpoints.create.mutate({
      url: ops.url,
      eventTypes: ["delivery.*", "endpoint.recovered"],
    });
    // Verified with the ops endpoint's secret; a retry of one webhook-id counted once.
    const events = () => {
      const byId = new Map(ops.received.map((r) => [r.webhookId, r]));
      return [...byId.values()].map((r) => {
        const verified = verifyWebhook({
          body: r.body,
          headers: r.headers,
          secret: opsEndpoint.secret,
        });
        if (!verified.known)
          throw new Error(`an event type the SDK does not know: ${verified.type}`);
        return verified.event;
      });
    };
    const ofType = <T extends WebhookEvent["type"]>(type: T) =>
      events().filter((e): e is Extract<WebhookEvent, { type: T }> => e.type === type);

    await client.claims.submit.mutate(sampleClaim());
    await waitFor(
      "delivery.exhausted at the ops endpoint",
      () => ofType("delivery.exhausted").length > 0,
    );
    const [failing] = ofType("delivery.failing");
    const [exhausted] = ofType("delivery.exhausted");
    expect(failing?.data).toMatchObject({
      endpointId: brokenEndpoint.id,
      eventType: "claim.submitted",
      failedAttempts: 3,
      lastStatusCode: 503,
      lastErrorClass: "http_status",
    });
    expect(exhausted?.data).toMatchObject({
      endpointId: brokenEndpoint.id,
      deliveryId: failing?.data.deliveryId,
      failedAttempts: 6,
    });

    brokenStatus = 204;
    await client.claims.submit.mutate(sampleClaim());
    await waitFor(
      "endpoint.recovered at the ops endpoint",
      () => ofType("endpoint.recovered").length > 0,
    );
    expect(ofType("endpoint.recovered")[0]?.data).toMatchObject({
      endpointId: brokenEndpoint.id,
      failedAttempts: 6,
    });
    // Once each, whichever insurer process recorded which report.
    expect(
      events()
        .map((e) => e.type)
        .sort(),
    ).toEqual(["delivery.exhausted", "delivery.failing", "endpoint.recovered"]);
    // The broken endpoint got its claims only, never news about itself.
    const brokenTypes = new Set(broken.received.map((r) => JSON.parse(r.body).type));
    expect([...brokenTypes]).toEqual(["claim.submitted"]);
  }, 30_000);
});
