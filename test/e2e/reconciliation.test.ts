import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HistoryRow, readClinicDb } from "../src/harness/clinic-db.ts";
import { readInsurerDb } from "../src/harness/insurer-db.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

// Integrator issue, item 4: the clinic reconciles with the insurer's event feed after
// downtime. The clinic process is killed; the insurer commits status changes whose
// webhooks fail (nobody listens) and wait an hour for their retry; the clinic starts
// again on the same database and must apply every missed status, each once, in order,
// from the feed alone, continuing from the cursor it stored before it died.

let sys: RunningSystem;

beforeAll(async () => {
  sys = await startSystem({
    // A failed first attempt waits an hour: within this test, webhooks cannot bring them.
    insurerEnv: { DELIVERY_RETRY_SCHEDULE: "0s,1h" },
    // Reconcile often, and take events as soon as they are committed.
    clinicEnv: { CLINIC_RECONCILE_INTERVAL_MS: "300", CLINIC_RECONCILE_SETTLE_MS: "0" },
  });
}, 120_000);
afterAll(async () => {
  await sys?.stop();
});

type InboxRow = { webhook_id: string; version: number; source: string; state: string };
type MissedDelivery = { event_id: string; version: number; status: string; attempt_count: number };

const history = (claimId: string) =>
  readClinicDb(sys.clinicDbPath, (db) =>
    db
      .prepare(
        "SELECT version, status, webhook_id FROM claim_status_history WHERE claim_id = ? ORDER BY version",
      )
      .all(claimId),
  ) as HistoryRow[];

describe("reconciliation after the clinic was down", () => {
  it("applies every status missed while down from the feed, each once and in order", async () => {
    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await waitFor("the clinic to apply 'submitted'", () => history(claim.id).length === 1);
    await waitFor("a reconciliation run to store a cursor past it", () =>
      readClinicDb(sys.clinicDbPath, (db) =>
        db.prepare("SELECT cursor FROM feed_reconciliation WHERE cursor IS NOT NULL").get(),
      ),
    );

    await sys.clinic.kill("SIGKILL");
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "in_review" });
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "approved" });
    await sys.staff.claims.decide.mutate({
      claimId: claim.id,
      to: "paid",
      paymentReference: "PAY-E2E-RECON",
    });
    const missed = await waitFor("the three webhooks to fail and wait for their retry", () => {
      const rows = readInsurerDb(sys.insurerDbPath, (db) =>
        db
          .prepare(
            `SELECT d.event_id, e.version, d.status, d.attempt_count FROM deliveries d
             JOIN events e ON e.id = d.event_id WHERE e.claim_id = ? AND e.version > 1
             ORDER BY e.version`,
          )
          .all(claim.id),
      ) as MissedDelivery[];
      return rows.length === 3 && rows.every((r) => r.status === "retrying") && rows;
    });

    const restartedAt = Date.now();
    const clinic = await sys.restartClinic();
    const applied = await waitFor("the restarted clinic to apply all four statuses", () => {
      const rows = history(claim.id);
      return rows.length === 4 && rows;
    });

    // Every missed status, in version order, under the event id the insurer committed.
    expect(applied.map((r) => [r.version, r.status])).toEqual([
      [1, "submitted"],
      [2, "in_review"],
      [3, "approved"],
      [4, "paid"],
    ]);
    expect(applied.slice(1).map((r) => r.webhook_id)).toEqual(missed.map((m) => m.event_id));
    const current = readClinicDb(sys.clinicDbPath, (db) =>
      db.prepare("SELECT status, version FROM claims WHERE id = ?").get(claim.id),
    );
    expect(current).toEqual({ status: "paid", version: 4 });

    // Each once: one inbox message and one patient notification per version; the missed
    // ones came from the feed and were applied in order (no gap to wait for or skip).
    const inbox = readClinicDb(sys.clinicDbPath, (db) =>
      db
        .prepare(
          "SELECT webhook_id, version, source, state, note FROM inbox WHERE claim_id = ? ORDER BY version",
        )
        .all(claim.id),
    ) as (InboxRow & { note: string | null })[];
    expect(inbox.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    expect(inbox.slice(1).map((m) => [m.source, m.state, m.note])).toEqual([
      ["feed", "applied", null],
      ["feed", "applied", null],
      ["feed", "applied", null],
    ]);
    const notified = readClinicDb(sys.clinicDbPath, (db) =>
      db
        .prepare("SELECT version FROM patient_notifications WHERE claim_id = ? ORDER BY version")
        .all(claim.id),
    ) as { version: number }[];
    expect(notified.map((n) => n.version)).toEqual([1, 2, 3, 4]);

    // Not by webhook: the insurer still waits to retry each of them.
    const deliveries = readInsurerDb(sys.insurerDbPath, (db) =>
      db
        .prepare(
          `SELECT status FROM deliveries WHERE event_id IN (${missed.map(() => "?").join(",")})`,
        )
        .all(...missed.map((m) => m.event_id)),
    ) as { status: string }[];
    expect(deliveries.map((d) => d.status)).toEqual(["retrying", "retrying", "retrying"]);

    // The restarted clinic went on from its stored cursor: its first run fetched only the
    // three events it had not seen (from the start of the feed it would have read four).
    const firstRun = await clinic.waitForLog("reconciled");
    expect({ fetched: firstRun.fetched, new: firstRun.new }).toEqual({ fetched: 3, new: 3 });

    // And the clinic's API (what its web app shows) says when that was.
    const res = await fetch(`${sys.clinicUrl}/api/trpc/reconciliation.status`);
    const { result } = (await res.json()) as {
      result: { data: { lastSuccessAt: string | null; lastRunError: string | null } };
    };
    expect(result.data.lastRunError).toBeNull();
    expect(Date.parse(result.data.lastSuccessAt ?? "")).toBeGreaterThanOrEqual(restartedAt);
  });
});
