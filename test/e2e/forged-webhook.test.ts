import { waitFor } from "@claimwire/testing";
import { buildWebhookHeaders, generateSecret } from "@claimwire/webhooks";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type InboxRow, readClinicDb } from "../src/harness/clinic-db.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

let sys: RunningSystem;
let delivered: InboxRow;
let secret: string;

const countInbox = () =>
  (
    readClinicDb(sys.clinicDbPath, (db) => db.prepare("SELECT COUNT(*) AS n FROM inbox").get()) as {
      n: number;
    }
  ).n;

async function post(body: string, headers: Record<string, string>) {
  const res = await request(`${sys.clinicUrl}/webhooks/insurer`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: res.statusCode, text: await res.body.text() };
}

beforeAll(async () => {
  sys = await startSystem();
  const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
  delivered = await waitFor("the claim.submitted webhook in the clinic's inbox", () =>
    readClinicDb(
      sys.clinicDbPath,
      (db) => db.prepare("SELECT * FROM inbox WHERE claim_id = ?").get(claim.id) as InboxRow,
    ),
  );
  secret = (
    readClinicDb(sys.clinicDbPath, (db) =>
      db.prepare("SELECT secret FROM endpoint_registration").get(),
    ) as { secret: string }
  ).secret;
});
afterAll(async () => {
  await sys?.stop();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("the clinic's receiver rejects what the insurer did not send", () => {
  it("rejects a forged signature (another secret) with 401 and stores nothing", async () => {
    const before = countInbox();
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
    expect(countInbox()).toBe(before);
  });

  it("rejects a genuine message replayed too late (timestamp 10 minutes old)", async () => {
    const before = countInbox();
    const headers = buildWebhookHeaders({
      secrets: [secret],
      msgId: "evt_01JDQ7AAAAAAAAAAAAAAAAAAAA",
      timestamp: nowSeconds() - 600,
      body: delivered.body,
    });
    const res = await post(delivered.body, headers);
    expect(res.status).toBe(401);
    expect(res.text).toMatch(/old|timestamp/i);
    expect(countInbox()).toBe(before);
  });

  it("rejects a delivered body with a tampered amount under its original signature", async () => {
    const before = countInbox();
    const tampered = delivered.body.replace(/"amount":\d+/, '"amount":99999999');
    const res = await post(tampered, {
      "webhook-id": delivered.webhook_id,
      "webhook-timestamp": String(nowSeconds()),
      "webhook-signature": delivered.webhook_signature,
    });
    expect(res.status).toBe(401);
    expect(countInbox()).toBe(before);
  });

  it("acknowledges a duplicate of a delivered message without storing it twice", async () => {
    const before = countInbox();
    const headers = buildWebhookHeaders({
      secrets: [secret],
      msgId: delivered.webhook_id,
      timestamp: nowSeconds(),
      body: delivered.body,
    });
    const res = await post(delivered.body, headers);
    expect(res.status).toBeLessThan(300);
    expect(countInbox()).toBe(before);
  });
});
