import { claims, inbox } from "@claimwire/clinic-db";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { ClinicChange } from "../live/clinic-changes.ts";
import { claimLifecycle, createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";
import { problemMessages, requeueMessage } from "./quarantined-messages.ts";
import { PROCESSING_RETRY_DELAYS_MS } from "./retry-schedule.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const SECOND = 1_000;

function message(webhookId: string) {
  return clinic.db.select().from(inbox).where(eq(inbox.webhookId, webhookId)).get();
}
function claimRow(claimId: string) {
  return clinic.db.select().from(claims).where(eq(claims.id, claimId)).get();
}
/**
 * Makes processing of a stored message throw, as a bug or a corrupted row would: its body
 * no longer parses. Returns the way to heal it.
 */
function breakMessage(webhookId: string): () => void {
  const body = message(webhookId)?.body ?? "";
  clinic.db.update(inbox).set({ body: "{ not json" }).where(eq(inbox.webhookId, webhookId)).run();
  return () => {
    clinic.db.update(inbox).set({ body }).where(eq(inbox.webhookId, webhookId)).run();
  };
}
async function deliver(event: Parameters<TestClinic["deliver"]>[0], webhookId: string) {
  expect((await clinic.deliver(event, { webhookId })).status).toBe(204);
}

describe("a message whose processing throws", () => {
  it("is retried with backoff, then quarantined with its error, while other claims go on", async () => {
    clinic = createTestClinic();
    const changes: ClinicChange[] = [];
    const abort = new AbortController();
    const collecting = (async () => {
      for await (const change of clinic.changes.subscribe(abort.signal)) changes.push(change);
    })();
    const broken = claimLifecycle();
    const healthy = claimLifecycle();
    await deliver(broken[0], "evt_broken_v1");
    await deliver(healthy[0], "evt_healthy_v1");
    breakMessage("evt_broken_v1");

    expect(clinic.processor.processPending()).toMatchObject({ applied: 1, retrying: 1 });
    expect(claimRow(healthy[0].data.claimId)?.status).toBe("submitted");
    expect(message("evt_broken_v1")).toMatchObject({ state: "pending", attempts: 1 });
    expect(message("evt_broken_v1")?.error).toMatch(/JSON/);

    // Not before its retry is due: a pass now leaves it alone, and new messages still flow.
    await deliver(healthy[1], "evt_healthy_v2");
    expect(clinic.processor.processPending()).toMatchObject({ applied: 1, retrying: 0 });
    expect(message("evt_broken_v1")?.attempts).toBe(1);

    for (const delay of PROCESSING_RETRY_DELAYS_MS) {
      clinic.clock.advance(delay);
      clinic.processor.processPending();
    }
    const quarantined = message("evt_broken_v1");
    expect(quarantined).toMatchObject({
      state: "quarantined",
      attempts: PROCESSING_RETRY_DELAYS_MS.length + 1,
      retryAt: null,
    });
    expect(quarantined?.error).toMatch(/JSON/);
    expect(claimRow(broken[0].data.claimId)).toBeUndefined();

    // Quarantined for good: later passes do not try it again.
    clinic.clock.advance(60 * SECOND);
    expect(clinic.processor.processPending()).toMatchObject({ retrying: 0, quarantined: 0 });

    expect(problemMessages(clinic.db)).toMatchObject([
      { webhookId: "evt_broken_v1", state: "quarantined", claimId: broken[0].data.claimId },
    ]);
    abort.abort();
    await collecting;
    expect(changes).toContainEqual({
      kind: "inbox",
      webhookId: "evt_broken_v1",
      state: "quarantined",
    });
    expect(changes).toContainEqual(
      expect.objectContaining({ kind: "claim", claimId: healthy[0].data.claimId, version: 2 }),
    );
  });

  it("applies on a retry once the fault has passed, with no error left behind", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    await deliver(v1, "evt_v1");
    const heal = breakMessage("evt_v1");
    clinic.processor.processPending();
    expect(message("evt_v1")).toMatchObject({ state: "pending", attempts: 1 });

    heal();
    clinic.clock.advance(PROCESSING_RETRY_DELAYS_MS[0] ?? 0);
    expect(clinic.processor.processPending()).toMatchObject({ applied: 1 });
    expect(message("evt_v1")).toMatchObject({ state: "applied", error: null, retryAt: null });
    expect(problemMessages(clinic.db)).toEqual([]);
  });

  it("holds later versions of its claim only up to the gap limit; they then apply", async () => {
    clinic = createTestClinic();
    const [v1, v2, v3] = claimLifecycle();
    await deliver(v1, "evt_v1");
    clinic.processor.processPending();
    await deliver(v2, "evt_v2");
    await deliver(v3, "evt_v3");
    breakMessage("evt_v2");

    clinic.processor.processPending();
    // v3 waits for v2 (it might still heal) …
    expect(message("evt_v3")?.state).toBe("pending");
    expect(claimRow(v1.data.claimId)?.status).toBe("submitted");

    // … for up to the gap limit (CLINIC_GAP_WAIT_MS), whether v2 is still being retried or
    // quarantined by then: v3 carries the full status and applies across the gap.
    for (let i = 0; i < 10 && message("evt_v2")?.state === "pending"; i++) {
      clinic.clock.advance(30 * SECOND);
      clinic.processor.processPending();
    }
    expect(message("evt_v2")?.state).toBe("quarantined");
    expect(message("evt_v3")).toMatchObject({ state: "applied" });
    expect(message("evt_v3")?.note).toMatch(/without version\(s\) 2\.\.2/);
    expect(claimRow(v1.data.claimId)).toMatchObject({ status: "approved", version: 3 });
  });

  it("can be put back in line after the cause is fixed, and then changes nothing stale", async () => {
    clinic = createTestClinic();
    const [v1] = claimLifecycle();
    await deliver(v1, "evt_v1");
    const heal = breakMessage("evt_v1");
    clinic.processor.processPending();
    for (const delay of PROCESSING_RETRY_DELAYS_MS) {
      clinic.clock.advance(delay);
      clinic.processor.processPending();
    }
    expect(message("evt_v1")?.state).toBe("quarantined");
    expect(requeueMessage(clinic.db, "evt_v1")).toBe(true);
    expect(requeueMessage(clinic.db, "evt_v1")).toBe(false);

    heal();
    clinic.processor.processPending();
    expect(message("evt_v1")).toMatchObject({ state: "applied", attempts: 0, error: null });
    expect(claimRow(v1.data.claimId)?.status).toBe("submitted");
  });
});
