import { claimStatusHistory, claims, inbox, patientNotifications } from "@claimwire/clinic-db";
import { type ClaimEvent, WEBHOOK_EVENT_EXAMPLES } from "@claimwire/contracts";
import { asc, eq } from "drizzle-orm";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { claimLifecycle, createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const GAP_WAIT_MS = 30_000;

function claimRow(claimId: string) {
  return clinic.db.select().from(claims).where(eq(claims.id, claimId)).get();
}
function history(claimId: string) {
  return clinic.db
    .select({ version: claimStatusHistory.version, status: claimStatusHistory.status })
    .from(claimStatusHistory)
    .where(eq(claimStatusHistory.claimId, claimId))
    .orderBy(asc(claimStatusHistory.version))
    .all();
}
function stateOf(webhookId: string) {
  return clinic.db.select().from(inbox).where(eq(inbox.webhookId, webhookId)).get()?.state;
}
function notifications(claimId: string) {
  return clinic.db
    .select()
    .from(patientNotifications)
    .where(eq(patientNotifications.claimId, claimId))
    .orderBy(asc(patientNotifications.version))
    .all();
}

async function deliver(event: Parameters<TestClinic["deliver"]>[0], webhookId: string) {
  expect((await clinic.deliver(event, { webhookId })).status).toBe(204);
}

describe("inbox processor", () => {
  it("drops the reasons of a request for information once review resumes, as the insurer does", async () => {
    clinic = createTestClinic();
    const [submitted, inReview] = claimLifecycle();
    const { claimId, clinicReference } = submitted.data;
    const infoRequested = WEBHOOK_EVENT_EXAMPLES["claim.info_requested"];
    const resumed = WEBHOOK_EVENT_EXAMPLES["claim.in_review"];
    const events: ClaimEvent[] = [
      submitted,
      inReview,
      { ...infoRequested, data: { ...infoRequested.data, claimId, clinicReference, version: 3 } },
      {
        ...resumed,
        data: {
          ...resumed.data,
          claimId,
          clinicReference,
          previousStatus: "needs_info",
          version: 4,
        },
      },
    ];
    for (const [i, event] of events.entries()) {
      await deliver(event, `evt_reason_${i}`);
      clinic.processor.processPending();
      if (i === 2) expect(JSON.parse(claimRow(claimId)?.reasonCodes ?? "[]")).not.toEqual([]);
    }
    expect(claimRow(claimId)).toMatchObject({ status: "in_review", version: 4, reasonCodes: "[]" });
  });

  it("stores the status summary an event carries, and keeps what an event without one does not name", async () => {
    clinic = createTestClinic();
    const [submitted, inReview, approved, paid] = claimLifecycle();
    const { claimId } = submitted.data;
    // A payment whose summary still lists reason codes (as after a partial approval).
    const paidExample = WEBHOOK_EVENT_EXAMPLES["claim.paid"];
    const paidWithReasons: ClaimEvent = {
      ...paidExample,
      timestamp: paid.timestamp,
      data: {
        ...paidExample.data,
        claimId,
        clinicReference: paid.data.clinicReference,
        summary: {
          approvedAmount: { amount: 18_500, currency: "EUR" },
          paidAmount: { amount: 18_500, currency: "EUR" },
          reasonCodes: ["EXCEEDS_TARIFF"],
          paymentReference: "PAY-7781-2026",
        },
      },
    };
    for (const [i, event] of [submitted, inReview, approved, paidWithReasons].entries()) {
      await deliver(event, `evt_summary_${i}`);
    }
    clinic.processor.processPending();
    expect(claimRow(claimId)).toMatchObject({
      status: "paid",
      approvedAmount: 18_500,
      paidAmount: 18_500,
      reasonCodes: '["EXCEEDS_TARIFF"]',
      paymentReference: "PAY-7781-2026",
    });

    // An event written before summaries existed: only what its status adds is applied.
    const other = claimLifecycle();
    const otherId = other[0].data.claimId;
    const { summary: _none, ...approvedData } = other[2].data;
    const { summary: _none2, ...paidData } = other[3].data;
    for (const [i, event] of [
      other[0],
      other[1],
      { ...other[2], data: approvedData },
      { ...other[3], data: paidData },
    ].entries()) {
      await deliver(event as ClaimEvent, `evt_legacy_${i}`);
    }
    clinic.processor.processPending();
    expect(claimRow(otherId)).toMatchObject({
      status: "paid",
      approvedAmount: 18_500,
      paidAmount: 18_500,
      paymentReference: "PAY-7781-2026",
    });
  });

  it("applies versions 1..4 delivered out of order (v3 before v2) in order, once each", async () => {
    clinic = createTestClinic();
    const [v1, v2, v3, v4] = claimLifecycle();
    const claimId = v1.data.claimId;

    await deliver(v1, "evt_v1");
    await deliver(v3, "evt_v3");
    clinic.processor.processPending();
    expect(claimRow(claimId)).toMatchObject({ status: "submitted", version: 1 });
    expect(stateOf("evt_v3")).toBe("pending"); // waits for v2

    await deliver(v2, "evt_v2");
    clinic.processor.processPending();
    expect(claimRow(claimId)).toMatchObject({
      status: "approved",
      version: 3,
      approvedAmount: 18_500,
    });

    await deliver(v4, "evt_v4");
    clinic.processor.processPending();
    expect(claimRow(claimId)).toMatchObject({ status: "paid", version: 4, paidAmount: 18_500 });
    expect(history(claimId)).toEqual([
      { version: 1, status: "submitted" },
      { version: 2, status: "in_review" },
      { version: 3, status: "approved" },
      { version: 4, status: "paid" },
    ]);
    for (const id of ["evt_v1", "evt_v2", "evt_v3", "evt_v4"]) expect(stateOf(id)).toBe("applied");
  });

  it("never lets a repeated or late event overwrite a newer status", async () => {
    clinic = createTestClinic();
    const [v1, v2, v3, v4] = claimLifecycle();
    for (const [event, id] of [
      [v1, "evt_1"],
      [v2, "evt_2"],
      [v3, "evt_3"],
      [v4, "evt_4"],
    ] as const) {
      await deliver(event, id);
    }
    clinic.processor.processPending();

    // The insurer replays v2 under a new webhook-id (e.g. a manual replay).
    await deliver(v2, "evt_2_replayed");
    const summary = clinic.processor.processPending();
    expect(summary).toMatchObject({ applied: 0, duplicate: 1 });
    expect(stateOf("evt_2_replayed")).toBe("duplicate");
    expect(claimRow(v1.data.claimId)).toMatchObject({ status: "paid", version: 4 });
    expect(history(v1.data.claimId)).toHaveLength(4);
    expect(notifications(v1.data.claimId)).toHaveLength(4);
  });

  it("waits for a missing version, then applies the newer event after CLINIC_GAP_WAIT_MS", async () => {
    clinic = createTestClinic();
    const [v1, v2, v3] = claimLifecycle();
    const claimId = v1.data.claimId;
    await deliver(v1, "evt_1");
    await deliver(v3, "evt_3"); // v2 is lost for now

    clinic.processor.processPending();
    clinic.clock.advance(GAP_WAIT_MS - 1);
    expect(clinic.processor.processPending()).toMatchObject({ applied: 0, waiting: 1 });
    expect(claimRow(claimId)).toMatchObject({ status: "submitted", version: 1 });

    clinic.clock.advance(1);
    expect(clinic.processor.processPending()).toMatchObject({ applied: 1, waiting: 0 });
    expect(claimRow(claimId)).toMatchObject({ status: "approved", version: 3 });
    const applied = clinic.db.select().from(inbox).where(eq(inbox.webhookId, "evt_3")).get();
    expect(applied).toMatchObject({ state: "applied" });
    expect(applied?.note).toContain("without version(s) 2..2");

    // v2 turns up at last: too late to matter, and it must not move the claim back.
    await deliver(v2, "evt_2");
    clinic.processor.processPending();
    expect(stateOf("evt_2")).toBe("stale");
    expect(claimRow(claimId)).toMatchObject({ status: "approved", version: 3 });
    expect(history(claimId).map((h) => h.version)).toEqual([1, 3]);
  });

  it("records one plain-language patient notification per applied change", async () => {
    clinic = createTestClinic();
    const events = claimLifecycle(undefined, "INV-77");
    for (const [i, event] of events.entries()) await deliver(event, `evt_${i}`);
    clinic.processor.processPending();

    const sent = notifications(events[0].data.claimId);
    expect(sent.map((n) => [n.version, n.channel])).toEqual([
      [1, "log"],
      [2, "log"],
      [3, "log"],
      [4, "log"],
    ]);
    for (const n of sent) expect(n.message).toContain("claim INV-77");
    expect(sent[2]?.message).toContain("approved");
    expect(sent[2]?.message).toContain("€185.00");
    expect(sent[3]?.message).toContain("paid €185.00");
  });

  it("keeps claims apart: one claim's gap does not hold back another claim", async () => {
    clinic = createTestClinic();
    const a = claimLifecycle();
    const b = claimLifecycle();
    await deliver(a[2], "evt_a3"); // a has a gap
    await deliver(b[0], "evt_b1");
    await deliver(b[1], "evt_b2");
    clinic.processor.processPending();
    expect(stateOf("evt_a3")).toBe("pending");
    expect(claimRow(b[0].data.claimId)).toMatchObject({ status: "in_review", version: 2 });
  });

  it("keeps an endpoint.disabled notice in the inbox, marks it applied, changes no claim, and warns", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line)) },
    );
    clinic = createTestClinic({ logger });
    const [v1] = claimLifecycle();
    await deliver(v1, "evt_claim");
    const notice = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"];
    await deliver(notice, "evt_notice");
    expect(
      clinic.db.select().from(inbox).where(eq(inbox.webhookId, "evt_notice")).get(),
    ).toMatchObject({ eventType: "endpoint.disabled", claimId: "", version: 0, state: "pending" });

    expect(clinic.processor.processPending()).toMatchObject({ applied: 2, failed: 0 });
    expect(stateOf("evt_notice")).toBe("applied");
    expect(
      clinic.db
        .select()
        .from(claims)
        .all()
        .map((c) => c.id),
    ).toEqual([v1.data.claimId]);
    expect(clinic.db.select().from(claimStatusHistory).all()).toHaveLength(1);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        webhookId: "evt_notice",
        type: "endpoint.disabled",
        endpointId: notice.data.endpointId,
        reason: "failing",
      }),
    );
    // Delivered again (a retry), it is acknowledged and stays one row.
    await deliver(notice, "evt_notice");
    expect(clinic.db.select().from(inbox).all()).toHaveLength(2);
  });

  it.each([
    ["delivery.failing", 40],
    ["delivery.exhausted", 40],
    ["endpoint.recovered", 30],
  ] as const)(
    "accepts a %s notice: kept, applied, no claim changed, logged",
    async (type, level) => {
      const lines: Record<string, unknown>[] = [];
      const logger = pino(
        { level: "info" },
        { write: (line: string) => void lines.push(JSON.parse(line)) },
      );
      clinic = createTestClinic({ logger });
      const notice = WEBHOOK_EVENT_EXAMPLES[type];
      await deliver(notice, "evt_notice");
      expect(clinic.processor.processPending()).toMatchObject({ applied: 1, failed: 0 });
      expect(
        clinic.db.select().from(inbox).where(eq(inbox.webhookId, "evt_notice")).get(),
      ).toMatchObject({ eventType: type, claimId: "", version: 0, state: "applied" });
      expect(clinic.db.select().from(claims).all()).toEqual([]);
      // A recovery is good news (info); the others want a look (warn).
      expect(lines).toContainEqual(
        expect.objectContaining({ level, type, endpointId: notice.data.endpointId }),
      );
    },
  );
});
