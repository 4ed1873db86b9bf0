import { waitFor } from "@claimwire/testing";
import { verifyWebhook } from "@claimwire/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicClaim } from "../src/harness/clinic-api-client.ts";
import { type CountingProxy, startCountingProxy } from "../src/harness/counting-proxy.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import type { RunningSystem } from "../src/harness/system.ts";
import { startSystemBehindProxy } from "../src/harness/system-behind-proxy.ts";

let sys: RunningSystem;
let proxy: CountingProxy;
beforeAll(async () => {
  // The proxy in front of the clinic keeps each webhook as the insurer sent it, so its
  // signature can be checked; the clinic's own API does not show raw deliveries.
  proxy = await startCountingProxy();
  sys = await startSystemBehindProxy(proxy, { watchClinicSecret: true });
});
afterAll(async () => {
  await sys?.stop();
  await proxy?.close();
});

describe("a claim's status changes reach the clinic as signed webhooks", () => {
  it("delivers submitted → in_review → approved → paid, each once and in order", async () => {
    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    expect(claim.status).toBe("submitted");
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "in_review" });
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "approved" });
    await sys.staff.claims.decide.mutate({
      claimId: claim.id,
      to: "paid",
      paymentReference: "PAY-E2E-1",
    });

    const seen = await waitFor("the clinic to apply all four statuses", async () => {
      const detail = await clinicClaim(sys.clinicApi, claim.id);
      return detail?.timeline.length === 4 && detail;
    });
    const history = seen.timeline;
    expect(history.map((r) => [r.version, r.status])).toEqual([
      [1, "submitted"],
      [2, "in_review"],
      [3, "approved"],
      [4, "paid"],
    ]);
    expect({ status: seen.status, version: seen.version }).toEqual({ status: "paid", version: 4 });

    // Every message the clinic stored came as a webhook carrying a valid Standard Webhooks
    // signature made with the secret the insurer issued to this clinic's endpoint.
    const secret = sys.clinicSecret();
    const detail = await waitFor("all four webhooks in the clinic's inbox", async () => {
      const found = await clinicClaim(sys.clinicApi, claim.id);
      return found?.messages.length === 4 && found;
    });
    const inbox = detail.messages;
    expect(inbox.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    for (const message of inbox) {
      expect(message.source).toBe("webhook");
      const post = proxy.firstPosts.get(message.webhookId);
      if (!post) throw new Error(`no webhook POST seen for ${message.webhookId}`);
      const timestamp = Number(post.headers["webhook-timestamp"]);
      const verified = verifyWebhook({
        secret,
        body: post.body,
        headers: post.headers,
        now: () => timestamp * 1000,
      });
      expect(verified.msgId).toBe(message.webhookId);
      expect(verified.msgId).toMatch(/^evt_/);
      expect(JSON.parse(verified.body).data.claimId).toBe(claim.id);
    }
    expect(new Set(history.map((r) => r.webhookId)).size).toBe(4);

    expect(detail.notifications.map((n) => n.version)).toEqual([1, 2, 3, 4]);
  });

  it("keeps each clinic's view separate: another clinic cannot read the claim", async () => {
    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    const { createInsurerClient } = await import("@claimwire/sdk");
    const { apiKey } = await sys.staff.clinics.create.mutate({ name: "Other Clinic" });
    const other = createInsurerClient({ baseUrl: sys.insurerUrl, apiKey });
    await expect(other.claims.byId.query({ claimId: claim.id })).rejects.toThrow(/No claim/);
  });
});
