import { claims, inbox } from "@claimwire/clinic-db";
import { generateSecret } from "@claimwire/webhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { claimLifecycle, createTestClinic, type TestClinic } from "../testing/clinic-fixture.ts";

let clinic: TestClinic;
afterEach(() => clinic?.close());

const [submitted] = claimLifecycle();
const inboxRows = () => clinic.db.select().from(inbox).all();

describe("POST /webhooks/insurer", () => {
  it("stores a correctly signed delivery in the inbox and answers 204", async () => {
    clinic = createTestClinic();
    const response = await clinic.deliver(submitted, { webhookId: "evt_first" });
    expect(response.status).toBe(204);
    expect(inboxRows()).toEqual([
      expect.objectContaining({
        webhookId: "evt_first",
        eventType: "claim.submitted",
        claimId: submitted.data.claimId,
        version: 1,
        body: JSON.stringify(submitted),
        webhookTimestamp: Math.floor(clinic.clock.now() / 1000),
        receivedAt: new Date(clinic.clock.now()).toISOString(),
      }),
    ]);
  });

  it("acknowledges a repeated webhook-id and keeps one row", async () => {
    clinic = createTestClinic();
    expect((await clinic.deliver(submitted, { webhookId: "evt_again" })).status).toBe(204);
    clinic.clock.advance(60_000); // a retry is signed afresh, later
    expect((await clinic.deliver(submitted, { webhookId: "evt_again" })).status).toBe(204);
    expect(inboxRows()).toHaveLength(1);
  });

  it("rejects a bad signature with 401 and writes nothing", async () => {
    clinic = createTestClinic();
    const response = await clinic.deliver(submitted, { secret: generateSecret() });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "invalid_signature" });
    expect(inboxRows()).toHaveLength(0);
  });

  it("rejects a delivery signed more than five minutes ago with 401 and writes nothing", async () => {
    clinic = createTestClinic();
    const signedAt = clinic.clock.now() - 5 * 60_000 - 1_000;
    const response = await clinic.deliver(submitted, { signedAt });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason: "timestamp_too_old" });
    expect(inboxRows()).toHaveLength(0);
  });

  it("rejects garbage: unsigned with 401, signed but not an event with 400, and writes nothing", async () => {
    clinic = createTestClinic();
    const unsigned = await clinic.app.request("/webhooks/insurer", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "\u0000garbage{",
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ reason: "missing_headers" });

    const { approvedAmount: _dropped, ...data } = claimLifecycle()[2].data as Record<
      string,
      unknown
    >;
    const invalid = { ...claimLifecycle()[2], data } as unknown as typeof submitted;
    const response = await clinic.deliver(invalid);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { reason: string; error: string };
    expect(problem.reason).toBe("invalid_payload");
    expect(problem.error).toContain("data.approvedAmount");
    expect(inboxRows()).toHaveLength(0);
  });

  it("answers 413 to a body over 256 KB", async () => {
    clinic = createTestClinic();
    const response = await clinic.app.request("/webhooks/insurer", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(256 * 1024 + 1),
    });
    expect(response.status).toBe(413);
    expect(inboxRows()).toHaveLength(0);
  });

  it("answers 503 until the endpoint is registered", async () => {
    clinic = createTestClinic({ register: false });
    const response = await clinic.deliver(submitted);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(inboxRows()).toHaveLength(0);
  });

  it("wakes the processor: the claim shows its new status without waiting for the timer", async () => {
    clinic = createTestClinic({
      config: {
        publicUrl: "http://127.0.0.1:3000",
        gapWaitMs: 30_000,
        processorIntervalMs: 3_600_000,
      },
    });
    clinic.processor.start();
    expect((await clinic.deliver(submitted)).status).toBe(204);
    await vi.waitFor(
      () => {
        expect(clinic.db.select().from(claims).all()).toMatchObject([
          { status: "submitted", version: 1 },
        ]);
      },
      { timeout: 10_000 },
    );
    expect(inboxRows()).toMatchObject([{ state: "applied" }]);
  });
});

describe("POST /webhooks/insurer with what the insurer adds later", () => {
  const reopened = {
    type: "claim.reopened",
    timestamp: submitted.timestamp,
    data: { claimId: submitted.data.claimId, version: 9, reason: { code: "APPEAL" } },
  };

  it("accepts an event type it does not know: 204, kept in the inbox, ignored by the processor", async () => {
    clinic = createTestClinic();
    const response = await clinic.deliver(reopened as never, { webhookId: "evt_reopened" });
    expect(response.status).toBe(204);
    expect(inboxRows()).toEqual([
      expect.objectContaining({
        webhookId: "evt_reopened",
        eventType: "claim.reopened",
        // Not read as a claim event: it changes no claim, so it holds back none either.
        claimId: "",
        version: 0,
        state: "pending",
        body: JSON.stringify(reopened),
      }),
    ]);
    expect(clinic.processor.processPending()).toMatchObject({ ignored: 1, retrying: 0 });
    expect(inboxRows()).toEqual([
      expect.objectContaining({
        state: "ignored",
        error: null,
        attempts: 0,
        retryAt: null,
        note: expect.stringContaining("'claim.reopened' is not one this clinic knows"),
      }),
    ]);
    // Never tried again, and no claim came of it.
    expect(clinic.processor.processPending()).toMatchObject({ ignored: 0 });
    expect(clinic.db.select().from(claims).all()).toEqual([]);
    // Acknowledged again on a repeat, as any duplicate.
    expect((await clinic.deliver(reopened as never, { webhookId: "evt_reopened" })).status).toBe(
      204,
    );
    expect(inboxRows()).toMatchObject([{ deliveries: 2, state: "ignored" }]);
  });

  it("accepts a known event with fields it does not declare, and applies it", async () => {
    clinic = createTestClinic();
    const newer = {
      ...submitted,
      region: "eu-west",
      data: {
        ...submitted.data,
        triage: { lane: "fast" },
        total: { ...submitted.data.total, tax: 0 },
      },
    };
    expect((await clinic.deliver(newer as never)).status).toBe(204);
    expect(clinic.processor.processPending()).toMatchObject({ applied: 1 });
    expect(clinic.db.select().from(claims).all()).toMatchObject([
      { id: submitted.data.claimId, status: "submitted", version: 1 },
    ]);
  });

  it("still answers 400 to a body that is not an object with a string type, and stores nothing", async () => {
    clinic = createTestClinic();
    for (const body of ["[]", "null", '{"data":{}}', '{"type":7,"data":{}}']) {
      const response = await clinic.deliverBody(body);
      expect(response.status, body).toBe(400);
      expect(await response.json()).toMatchObject({ reason: "invalid_payload" });
    }
    expect(inboxRows()).toHaveLength(0);
  });

  it("treats __proto__ and constructor keys as plain unknown keys, in known and unknown events", async () => {
    clinic = createTestClinic();
    // Written as text: JSON.parse makes "__proto__" an own key, as a sender's JSON would.
    const known = JSON.stringify(submitted)
      .replace(
        /^\{/,
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},',
      )
      .replace(/"data":\{/, '"data":{"__proto__":{"isAdmin":true},"prototype":1,');
    const unknownTypes = ["constructor", "__proto__", "toString"].map(
      (type) =>
        `{"__proto__":{"polluted":true},"type":${JSON.stringify(type)},"data":{"__proto__":{"isAdmin":true}}}`,
    );
    for (const body of [known, ...unknownTypes]) {
      expect((await clinic.deliverBody(body)).status, body).toBe(204);
    }
    expect(clinic.processor.processPending()).toMatchObject({ applied: 1, ignored: 3 });
    expect(clinic.db.select().from(claims).all()).toMatchObject([
      { id: submitted.data.claimId, status: "submitted" },
    ]);
    expect(
      inboxRows()
        .map((row) => row.eventType)
        .sort(),
    ).toEqual(["__proto__", "claim.submitted", "constructor", "toString"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
