import { waitFor } from "@claimwire/testing";
import { buildWebhookHeaders, generateSecret } from "@claimwire/webhooks";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicClaims } from "../src/harness/clinic-api-client.ts";
import {
  type CountingProxy,
  type ReceivedPost,
  startCountingProxy,
} from "../src/harness/counting-proxy.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import type { RunningSystem } from "../src/harness/system.ts";
import { startSystemBehindProxy } from "../src/harness/system-behind-proxy.ts";

let sys: RunningSystem;
let proxy: CountingProxy;
let delivered: ReceivedPost & { webhookId: string };
let secret: string;

/** Every message in the clinic's inbox, as its API shows them under each claim. */
const inboxMessages = async () => (await clinicClaims(sys.clinicApi)).flatMap((c) => c.messages);
const countInbox = async () => (await inboxMessages()).length;

async function post(body: string, headers: Record<string, string>) {
  const res = await request(`${sys.clinicUrl}/webhooks/insurer`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: res.statusCode, text: await res.body.text() };
}

beforeAll(async () => {
  // A genuine webhook to tamper with is taken as it passed through a proxy in front of
  // the clinic; the secret as the insurer issued it to the clinic.
  proxy = await startCountingProxy();
  sys = await startSystemBehindProxy(proxy, { watchClinicSecret: true });
  await sys.clinicClient.claims.submit.mutate(sampleClaim());
  const webhookId = await waitFor("the claim.submitted webhook in the clinic's inbox", async () => {
    const messages = await inboxMessages();
    return messages.find((m) => m.eventType === "claim.submitted")?.webhookId;
  });
  const sent = proxy.firstPosts.get(webhookId);
  if (!sent) throw new Error(`no webhook POST seen for ${webhookId}`);
  delivered = { ...sent, webhookId };
  secret = sys.clinicSecret();
});
afterAll(async () => {
  await sys?.stop();
  await proxy?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("the clinic's receiver rejects what the insurer did not send", () => {
  it("rejects a forged signature (another secret) with 401 and stores nothing", async () => {
    const before = await countInbox();
    const body = delivered.body.replace('"version":1', '"version":9');
    const headers = buildWebhookHeaders({
      secrets: [generateSecret()],
      msgId: "evt_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6",
      timestamp: nowSeconds(),
      body,
    });
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/signature/i);
    expect(await countInbox()).toBe(before);
  });

  it("rejects a genuine message replayed too late (timestamp 10 minutes old)", async () => {
    const before = await countInbox();
    const headers = buildWebhookHeaders({
      secrets: [secret],
      msgId: "evt_01JDQ7AAAAAAAAAAAAAAAAAAAA",
      timestamp: nowSeconds() - 600,
      body: delivered.body,
    });
    const res = await post(delivered.body, headers);
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/old|timestamp/i);
    expect(await countInbox()).toBe(before);
  });

  it("rejects a delivered body with a tampered amount under its original signature", async () => {
    const before = await countInbox();
    const tampered = delivered.body.replace(/"amount":\d+/, '"amount":99999999');
    const res = await post(tampered, {
      "webhook-id": delivered.webhookId,
      "webhook-timestamp": String(nowSeconds()),
      "webhook-signature": delivered.headers["webhook-signature"] ?? "",
    });
    expect(res.status).toBe(401);
    expect(await countInbox()).toBe(before);
  });

  it("acknowledges a duplicate of a delivered message without storing it twice", async () => {
    const before = await inboxMessages();
    const deliveries = (messages: typeof before) =>
      messages.find((m) => m.webhookId === delivered.webhookId)?.deliveries;
    const headers = buildWebhookHeaders({
      secrets: [secret],
      msgId: delivered.webhookId,
      timestamp: nowSeconds(),
      body: delivered.body,
    });
    const res = await post(delivered.body, headers);
    expect(res.status).toBeLessThan(300);
    const after = await inboxMessages();
    expect(after).toHaveLength(before.length);
    // The copy was acknowledged and counted against the message it repeats.
    expect(deliveries(after)).toBe((deliveries(before) ?? 0) + 1);
  });
});
