import { waitFor } from "@claimwire/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clinicClaim } from "../src/harness/clinic-api-client.ts";
import { endpointDeliveries, feedEvents } from "../src/harness/insurer-api-reads.ts";
import { sampleClaim } from "../src/harness/sample-claim.ts";
import { type RunningSystem, startSystem } from "../src/harness/system.ts";

// The clinic reconciles with the insurer's event feed after downtime, so that nothing is
// missed while it could not receive webhooks. The clinic process is killed; the insurer
// commits status changes whose webhooks fail (nobody listens) and wait an hour for their
// retry; the clinic starts again on the same database and must apply every missed status,
// each once, in order, from the feed alone, continuing from the cursor it stored before
// it died.

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

/** The claim's status history as the clinic's API shows it (empty while it is unknown). */
const history = async (claimId: string) =>
  (await clinicClaim(sys.clinicApi, claimId))?.timeline ?? [];

/** The clinic's webhook deliveries at the insurer, by event id. */
async function clinicDeliveries(endpointId: string) {
  const deliveries = await endpointDeliveries(sys.staff, endpointId);
  return new Map(deliveries.map((d) => [d.eventId, d]));
}

describe("reconciliation after the clinic was down", () => {
  it("applies every status missed while down from the feed, each once and in order", async () => {
    const me = await sys.clinicClient.me.query();
    if (me.role !== "clinic") throw new Error("expected a clinic key");
    const [endpoint] = await sys.staff.endpoints.list.query({ clinicId: me.clinicId });
    if (!endpoint) throw new Error("the clinic registered no endpoint");

    const claim = await sys.clinicClient.claims.submit.mutate(sampleClaim());
    await waitFor(
      "the clinic to apply 'submitted'",
      async () => (await history(claim.id)).length === 1,
    );
    // Two runs asked for after 'submitted' was applied: the second one (a run asked for
    // joins one already going) starts after the event was committed, so the cursor the
    // clinic stores is past it.
    for (let run = 0; run < 2; run++) {
      const result = await sys.clinicApi.reconciliation.run.mutate();
      expect(result.error).toBeNull();
    }

    await sys.clinic.kill("SIGKILL");
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "in_review" });
    await sys.staff.claims.decide.mutate({ claimId: claim.id, to: "approved" });
    await sys.staff.claims.decide.mutate({
      claimId: claim.id,
      to: "paid",
      paymentReference: "PAY-E2E-RECON",
    });
    const missedEvents = (await feedEvents(sys.staff, { clinicId: me.clinicId }))
      .filter((e) => "claimId" in e.data.data && e.data.data.claimId === claim.id)
      .filter((e) => "version" in e.data.data && e.data.data.version > 1);
    expect(missedEvents).toHaveLength(3);
    const missed = await waitFor(
      "the three webhooks to fail and wait for their retry",
      async () => {
        const deliveries = await clinicDeliveries(endpoint.id);
        const rows = missedEvents.map((e) => ({ eventId: e.id, delivery: deliveries.get(e.id) }));
        return rows.every((r) => r.delivery?.status === "retrying") && rows;
      },
    );

    const restartedAt = Date.now();
    const clinic = await sys.restartClinic();
    const applied = await waitFor("the restarted clinic to apply all four statuses", async () => {
      const rows = await history(claim.id);
      return rows.length === 4 && rows;
    });

    // Every missed status, in version order, under the event id the insurer committed.
    expect(applied.map((r) => [r.version, r.status])).toEqual([
      [1, "submitted"],
      [2, "in_review"],
      [3, "approved"],
      [4, "paid"],
    ]);
    expect(applied.slice(1).map((r) => r.webhookId)).toEqual(missed.map((m) => m.eventId));
    const current = await clinicClaim(sys.clinicApi, claim.id);
    expect({ status: current?.status, version: current?.version }).toEqual({
      status: "paid",
      version: 4,
    });

    // Each once: one inbox message and one patient notification per version; the missed
    // ones came from the feed and were applied in order (no gap to wait for or skip).
    const inbox = current?.messages ?? [];
    expect(inbox.map((m) => m.version)).toEqual([1, 2, 3, 4]);
    expect(inbox.slice(1).map((m) => [m.source, m.state, m.note])).toEqual([
      ["feed", "applied", null],
      ["feed", "applied", null],
      ["feed", "applied", null],
    ]);
    expect(current?.notifications.map((n) => n.version)).toEqual([1, 2, 3, 4]);

    // Not by webhook: the insurer still waits to retry each of them.
    const deliveries = await clinicDeliveries(endpoint.id);
    expect(missed.map((m) => deliveries.get(m.eventId)?.status)).toEqual([
      "retrying",
      "retrying",
      "retrying",
    ]);

    // The restarted clinic went on from its stored cursor: its first run fetched only the
    // three events it had not seen (from the start of the feed it would have read four).
    const firstRun = await clinic.waitForLog("reconciled");
    expect({ fetched: firstRun.fetched, new: firstRun.new }).toEqual({ fetched: 3, new: 3 });

    // And the clinic's API (what its web app shows) says when that was.
    const status = await sys.clinicApi.reconciliation.status.query();
    expect(status.lastRunError).toBeNull();
    expect(Date.parse(status.lastSuccessAt ?? "")).toBeGreaterThanOrEqual(restartedAt);
  });
});
