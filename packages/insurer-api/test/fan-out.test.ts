import { WebhookEventSchema, WebhookTestEventSchema } from "@claimwire/contracts";
import { appendEvent } from "@claimwire/insurer-domain";
import { waitFor } from "@claimwire/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveriesOfEvent, lastDeliveryTask } from "../src/testing/delivery-fixtures.ts";
import {
  checkOutboxAndStop,
  claimInput,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer();
  h.insurer.dispatcher.start();
});
afterAll(() => checkOutboxAndStop(h));

describe("fan-out, in the status change's own transaction", () => {
  it("records a delivery for each subscribed endpoint of the event's clinic, and attempt 1 goes out", async () => {
    const a = await h.newClinic("Clinic A");
    const b = await h.newClinic("Clinic B");
    const url = "https://clinic.example/hooks";
    const subscribed = await a.caller.endpoints.create({ url, eventTypes: ["claim.submitted"] });
    const alsoSubscribed = await a.caller.endpoints.create({
      url,
      eventTypes: ["claim.approved", "claim.submitted"],
    });
    const otherType = await a.caller.endpoints.create({ url, eventTypes: ["claim.paid"] });
    const disabled = await a.caller.endpoints.create({ url, eventTypes: ["claim.submitted"] });
    await a.caller.endpoints.disable({ endpointId: disabled.id });
    const otherClinic = await b.caller.endpoints.create({ url, eventTypes: ["claim.submitted"] });

    const claim = await a.caller.claims.submit(claimInput());
    const { events } = h.store.tables;
    const [event] = await h.store.db.select().from(events).where(eq(events.claimId, claim.id));
    if (!event) throw new Error(`no event for claim ${claim.id}`);
    // Written with the claim, before anything was published.
    expect(await deliveriesOfEvent(h, event.id)).toHaveLength(3);
    await waitFor("a first attempt at every enabled endpoint's delivery", async () =>
      (await deliveriesOfEvent(h, event.id)).every(
        (d) => d.status === "failed" || d.attemptCount === 1,
      ),
    );

    const rows = (await deliveriesOfEvent(h, event.id)).filter((d) => d.endpointId !== disabled.id);
    expect(rows.map((d) => d.endpointId).sort()).toEqual([subscribed.id, alsoSubscribed.id].sort());
    expect(rows.every((d) => d.status === "sending" && d.nextAttemptAt === null)).toBe(true);
    // The disabled endpoint's delivery is failed at once (no request), so it can be
    // recovered once the endpoint is enabled again.
    expect(
      (await deliveriesOfEvent(h, event.id)).find((d) => d.endpointId === disabled.id),
    ).toMatchObject({
      status: "failed",
      attemptCount: 0,
      lastErrorClass: "endpoint_disabled",
    });
    for (const row of rows) {
      const task = await waitFor("the endpoint's delivery task", () =>
        lastDeliveryTask(h, row.endpointId),
      );
      expect(task).toEqual({
        deliveryId: row.id,
        eventId: event.id,
        endpointId: row.endpointId,
        clinicId: a.clinicId,
        eventType: "claim.submitted",
        attemptNumber: 1,
        trigger: "scheduled",
        body: JSON.stringify(event.payload),
        committedAt: event.committedAt,
      });
    }
    for (const endpoint of [otherType, disabled, otherClinic]) {
      expect(await lastDeliveryTask(h, endpoint.id)).toBeNull();
    }
  });

  it("records no delivery for a change that rolls back", async () => {
    const a = await h.newClinic("Clinic C");
    const endpoint = await a.caller.endpoints.create({
      url: "https://clinic.example/hooks",
      eventTypes: ["*"],
    });
    const { deliveries, events } = h.store.tables;
    const before = (await h.store.db.select().from(deliveries)).length;
    const at = new Date().toISOString();
    const event = WebhookTestEventSchema.parse({
      type: "webhook.test",
      timestamp: at,
      data: { endpointId: endpoint.id, clinicId: a.clinicId, requestedAt: at },
    });
    // The event and its delivery are written, then the transaction fails: neither stays.
    await expect(
      h.store.transaction(async (tx) => {
        expect((await appendEvent(h.store, tx, event, at)).deliveries).toHaveLength(1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await h.store.db.select().from(deliveries)).toHaveLength(before);
    expect(await h.store.db.select().from(events).where(eq(events.type, "webhook.test"))).toEqual(
      [],
    );
  });

  it("does not deliver an event to an endpoint created after it was committed", async () => {
    const a = await h.newClinic("Clinic D");
    const early = await a.caller.endpoints.create({
      url: "https://clinic.example/early",
      eventTypes: ["claim.submitted"],
    });
    const claim = await a.caller.claims.submit(claimInput());
    const { endpoints, events } = h.store.tables;
    const [event] = await h.store.db.select().from(events).where(eq(events.claimId, claim.id));
    if (!event) throw new Error(`no event for claim ${claim.id}`);
    const late = { ...early, id: "ep_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6" };
    await h.store.transaction(async (tx) => {
      await tx.insert(endpoints).values({
        ...late,
        secret: "whsec_AAAA",
        retiringSecrets: [],
        createdAt: new Date(Date.parse(event.committedAt) + 1).toISOString(),
      });
    });
    expect((await deliveriesOfEvent(h, event.id)).map((d) => d.endpointId)).toEqual([early.id]);
  });

  it("delivers endpoint.disabled to the clinic's other subscribed endpoints, not to the disabled one", async () => {
    const a = await h.newClinic("Clinic E");
    const b = await h.newClinic("Clinic F");
    const url = "https://clinic.example/ops";
    const failing = await a.caller.endpoints.create({
      url,
      eventTypes: ["claim.submitted", "endpoint.disabled"],
    });
    const ops = await a.caller.endpoints.create({ url, eventTypes: ["endpoint.disabled"] });
    const claimsOnly = await a.caller.endpoints.create({ url, eventTypes: ["claim.paid"] });
    const otherClinic = await b.caller.endpoints.create({ url, eventTypes: ["endpoint.disabled"] });

    await a.caller.endpoints.disable({ endpointId: failing.id });
    const { events } = h.store.tables;
    const row = (
      await h.store.db.select().from(events).where(eq(events.type, "endpoint.disabled"))
    ).find((e) => WebhookEventSchema.parse(e.payload).data.clinicId === a.clinicId)!;
    expect(row).toMatchObject({ clinicId: a.clinicId, claimId: null, version: null });

    expect((await deliveriesOfEvent(h, row.id)).map((d) => d.endpointId)).toEqual([ops.id]);
    const task = await waitFor("the endpoint.disabled task for the ops endpoint", () =>
      lastDeliveryTask(h, ops.id),
    );
    expect(task).toMatchObject({ eventId: row.id, eventType: "endpoint.disabled" });
    expect(JSON.parse(task.body)).toEqual({
      type: "endpoint.disabled",
      timestamp: expect.any(String),
      data: {
        endpointId: failing.id,
        clinicId: a.clinicId,
        url,
        reason: "manual",
        failingSince: null,
        disabledAt: expect.any(String),
      },
    });
    for (const endpoint of [failing, claimsOnly, otherClinic]) {
      expect(await lastDeliveryTask(h, endpoint.id)).toBeNull();
    }
  });
});
