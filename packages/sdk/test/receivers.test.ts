// The receivers of examples/receivers/ (the SDK README shows each) in the real frameworks:
// Express, Fastify and Hono listen on a free loopback port and get a signed delivery over
// HTTP, as the delivery worker sends it (the same signer, headers and bytes); the
// Next.js-style route handler gets the fetch Request itself, as Next.js hands it over.
import type { AddressInfo } from "node:net";
import { WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { buildWebhookHeaders, generateSecret } from "@claimwire/webhooks";
import { serve } from "@hono/node-server";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createExpressReceiver } from "../examples/receivers/express.ts";
import { createFastifyReceiver } from "../examples/receivers/fastify.ts";
import { createHonoReceiver } from "../examples/receivers/hono.ts";
import { createWebhookRoute } from "../examples/receivers/next-route.ts";
import type { VerifiedWebhookEvent } from "../src/index.ts";

const SECRET = generateSecret();
const PATH = "/webhooks/insurer";
const event = WEBHOOK_EVENT_EXAMPLES["claim.approved"];

type Save = (delivery: VerifiedWebhookEvent) => Promise<void>;
/** A started receiver: `send` posts to its webhook route and returns the answer. */
type Running = { send(init: RequestInit): Promise<Response>; stop(): Promise<void> };

const overHttp = (base: string, stop: () => Promise<void>): Running => ({
  send: (init) => fetch(new URL(PATH, base), init),
  stop,
});

const receivers: Record<string, (save: Save) => Promise<Running>> = {
  async Express(save) {
    const server = createExpressReceiver(SECRET, save).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    return overHttp(`http://127.0.0.1:${port}`, async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });
  },
  async Fastify(save) {
    const app = createFastifyReceiver(SECRET, save);
    return overHttp(await app.listen({ port: 0, host: "127.0.0.1" }), () => app.close());
  },
  async "Hono on @hono/node-server"(save) {
    const app = createHonoReceiver(SECRET, save);
    let server: ReturnType<typeof serve> | undefined;
    const { port } = await new Promise<AddressInfo>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, resolve);
    });
    return overHttp(`http://127.0.0.1:${port}`, async () => {
      await new Promise((resolve) => server?.close(resolve));
    });
  },
  async "a fetch Request (Next.js route handler)"(save) {
    const POST = createWebhookRoute(SECRET, save);
    return {
      send: (init) => POST(new Request(`https://clinic.example${PATH}`, init)),
      stop: async () => {},
    };
  },
};

/** A delivery as the worker sends it: JSON, signed now with `secret` over `signedBody`. */
function delivery({
  body = JSON.stringify(event),
  signedBody = body,
  secret = SECRET,
}: {
  body?: string;
  signedBody?: string;
  secret?: string;
} = {}) {
  const webhookHeaders = buildWebhookHeaders({
    secrets: [secret],
    msgId: "evt_01KBXJ5Z7Q8V4N2M6P0R3S5T7W",
    timestamp: Math.floor(Date.now() / 1000),
    body: signedBody,
  });
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...webhookHeaders },
    body,
  } satisfies RequestInit;
}

describe.each(Object.entries(receivers))("the receiver on %s", (_name, start) => {
  async function withReceiver(
    run: (receiver: Running, saved: VerifiedWebhookEvent[]) => Promise<void>,
  ) {
    const saved: VerifiedWebhookEvent[] = [];
    const receiver = await start(async (verified) => {
      saved.push(verified);
    });
    try {
      await run(receiver, saved);
    } finally {
      await receiver.stop();
    }
  }

  it("verifies a signed delivery, saves the typed event and answers 204", async () => {
    await withReceiver(async (receiver, saved) => {
      const response = await receiver.send(delivery());
      expect(response.status).toBe(204);
      expect(saved).toHaveLength(1);
      const [verified = expect.unreachable("nothing saved")] = saved;
      if (!verified.known) expect.unreachable("a claim.approved comes back known");
      const { id, event: received } = verified;
      expect(id).toBe("evt_01KBXJ5Z7Q8V4N2M6P0R3S5T7W");
      expect(received).toEqual(event);
      // Typed by the SDK: narrowed by `type`, the event's own fields.
      if (received.type === "claim.approved") {
        expectTypeOf(received.data.approvedAmount.amount).toEqualTypeOf<number>();
      }
    });
  });

  it("refuses a body that is not the one signed with 401 invalid_signature, saving nothing", async () => {
    await withReceiver(async (receiver, saved) => {
      const tampered = JSON.stringify({
        ...event,
        data: { ...event.data, approvedAmount: { amount: 99_999, currency: "EUR" } },
      });
      const response = await receiver.send(
        delivery({ body: tampered, signedBody: JSON.stringify(event) }),
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ reason: "invalid_signature" });
      expect(saved).toEqual([]);
    });
  });

  it("refuses a delivery signed with another endpoint's secret", async () => {
    await withReceiver(async (receiver, saved) => {
      const response = await receiver.send(delivery({ secret: generateSecret() }));
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ reason: "invalid_signature" });
      expect(saved).toEqual([]);
    });
  });
});
