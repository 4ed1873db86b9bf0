import { inbox } from "@claimwire/clinic-db";
import { buildWebhookHeaders } from "@claimwire/webhooks";
import { afterEach, describe, expect, it } from "vitest";
import { claimLifecycle, createTestClinic, type TestClinic } from "./testing/clinic-fixture.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const readyz = async () => {
  const res = await clinic.app.request("/readyz");
  return { status: res.status, body: await res.json() };
};
const [submitted, inReview] = claimLifecycle();

/** A signed delivery whose body arrives in two parts: in flight until `finish()`. */
function halfSentDelivery(webhookId: string) {
  const body = new TextEncoder().encode(JSON.stringify(submitted));
  const headers = buildWebhookHeaders({
    secrets: [clinic.secret],
    msgId: webhookId,
    timestamp: Math.floor(clinic.clock.now() / 1000),
    body,
  });
  let rest!: () => void;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body.slice(0, 10));
      rest = () => {
        controller.enqueue(body.slice(10));
        controller.close();
      };
    },
  });
  const response = clinic.app.request("/webhooks/insurer", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: stream,
    duplex: "half",
  } as RequestInit);
  return { response, finish: () => rest() };
}

describe("the clinic's probes", () => {
  it("answer /readyz with 503 naming what is missing before registration and processing", async () => {
    clinic = createTestClinic({ register: false });
    expect((await clinic.app.request("/healthz")).status).toBe(200);
    expect(await readyz()).toEqual({
      status: 503,
      body: {
        ready: false,
        notReady: { registration: "not registered", processor: "not running" },
      },
    });
  });

  it("answer /readyz with 200 once registered and processing", async () => {
    clinic = createTestClinic();
    clinic.processor.start();
    expect(await readyz()).toEqual({ status: 200, body: { ready: true } });
  });
});

describe("the clinic's drain", () => {
  it("turns /readyz and new webhooks to 503 and lets the webhook being received finish", async () => {
    clinic = createTestClinic();
    clinic.processor.start();
    const running = halfSentDelivery("evt_in_flight");
    await new Promise((resolve) => setTimeout(resolve, 20));
    let drained = false;
    const draining = clinic.drain().then(() => {
      drained = true;
    });

    expect(await readyz()).toEqual({
      status: 503,
      body: { ready: false, notReady: { draining: "draining" } },
    });
    const refused = await clinic.deliver(inReview, { webhookId: "evt_after_sigterm" });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.headers.get("connection")).toBe("close");
    expect(drained).toBe(false);

    running.finish();
    expect((await running.response).status).toBe(204);
    await draining;
    const stored = clinic.db.select().from(inbox).all();
    expect(stored.map((row) => row.webhookId)).toEqual(["evt_in_flight"]);
  });
});
