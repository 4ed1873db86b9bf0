import { waitFor } from "@claimwire/testing";
import { verifyWebhook } from "@claimwire/webhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HistoryRow, type InboxRow, readClinicDb } from "../src/harness/clinic-db.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
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

    const history = await waitFor("the clinic to apply all four statuses", () => {
      const rows = readClinicDb(sys.clinicDbPath, (db) =>
        db
          .prepare(
            "SELECT version, status, webhook_id FROM claim_status_history WHERE claim_id = ? ORDER BY version",
          )
          .all(claim.id),
      ) as HistoryRow[];
      return rows.length === 4 && rows;
    });
    expect(history.map((r) => [r.version, r.status])).toEqual([
      [1, "submitted"],
      [2, "in_review"],
      [3, "approved"],
      [4, "paid"],
    ]);

    const { status, version } = readClinicDb(sys.clinicDbPath, (db) =>
      db.prepare("SELECT status, version FROM claims WHERE id = ?").get(claim.id),
    ) as { status: string; version: number };
    expect({ status, version }).toEqual({ status: "paid", version: 4 });

    // Every stored delivery carries a valid Standard Webhooks signature made with the
    // secret the insurer issued to this clinic's endpoint.
    const { secret } = readClinicDb(sys.clinicDbPath, (db) =>
      db.prepare("SELECT secret FROM endpoint_registration").get(),
    ) as { secret: string };
    const inbox = readClinicDb(sys.clinicDbPath, (db) =>
      db.prepare("SELECT * FROM inbox WHERE claim_id = ? ORDER BY version").all(claim.id),
    ) as InboxRow[];
    expect(inbox.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    for (const message of inbox) {
      const verified = verifyWebhook({
        secret,
        body: message.body,
        headers: {
          "webhook-id": message.webhook_id,
          "webhook-timestamp": String(message.webhook_timestamp),
          "webhook-signature": message.webhook_signature,
        },
        now: () => Number(message.webhook_timestamp) * 1000,
      });
      expect(verified.msgId).toMatch(/^evt_/);
      expect(JSON.parse(verified.body).data.claimId).toBe(claim.id);
    }
    expect(new Set(history.map((r) => r.webhook_id)).size).toBe(4);

    const notifications = readClinicDb(sys.clinicDbPath, (db) =>
      db
        .prepare("SELECT COUNT(*) AS n FROM patient_notifications WHERE claim_id = ?")
        .get(claim.id),
    ) as { n: number };
    expect(notifications.n).toBe(4);
  });

  it("keeps each clinic's view separate: another clinic cannot read the claim", async () => {
    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    const { createInsurerClient } = await import("@claimwire/sdk");
    const { apiKey } = await sys.staff.clinics.create.mutate({ name: "Other Clinic" });
    const other = createInsurerClient({ baseUrl: sys.insurerUrl, apiKey });
    await expect(other.claims.byId.query({ claimId: claim.id })).rejects.toThrow(/No claim/);
  });
});
