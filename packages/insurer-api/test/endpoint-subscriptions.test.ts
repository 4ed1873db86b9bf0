import { waitFor } from "@claimwire/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveriesOfEvent, lastDeliveryTask } from "../src/testing/delivery-fixtures.ts";
import {
  checkOutboxAndStop,
  claimInput,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer();
  h.insurer.dispatcher.start();
});
afterAll(() => checkOutboxAndStop(h));

describe("wildcard subscriptions in fan-out", () => {
  it("delivers an event to exact, prefix and catch-all subscribers, and to no one else", async () => {
    const { caller } = await h.newClinic("Wildcard Clinic");
    const url = "https://clinic.example/hooks";
    const claims = await caller.endpoints.create({ url, eventTypes: ["claim.*"] });
    const everything = await caller.endpoints.create({ url, eventTypes: ["*"] });
    const exact = await caller.endpoints.create({ url, eventTypes: ["claim.submitted"] });
    const paidOnly = await caller.endpoints.create({ url, eventTypes: ["claim.paid"] });
    const ops = await caller.endpoints.create({ url, eventTypes: ["endpoint.*"] });

    const claim = await caller.claims.submit(claimInput());
    const { events } = h.store.tables;
    const [event] = await h.store.db.select().from(events).where(eq(events.claimId, claim.id));
    if (!event) throw new Error(`no event for claim ${claim.id}`);
    await waitFor("a first attempt at every delivery of the event", async () =>
      (await deliveriesOfEvent(h, event.id)).every((d) => d.attemptCount === 1),
    );

    expect((await deliveriesOfEvent(h, event.id)).map((d) => d.endpointId).sort()).toEqual(
      [claims.id, everything.id, exact.id].sort(),
    );
    for (const id of [paidOnly.id, ops.id]) expect(await lastDeliveryTask(h, id)).toBeNull();
    expect((await lastDeliveryTask(h, claims.id))?.eventId).toBe(event.id);
  });
});

describe("endpoints.sendTest", () => {
  it("sends webhook.test to that endpoint only, even when its filter does not list it", async () => {
    const { caller, clinicId } = await h.newClinic("Test Clinic");
    const url = "https://clinic.example/hooks";
    const target = await caller.endpoints.create({ url, eventTypes: ["claim.paid"] });
    const catchAll = await caller.endpoints.create({ url, eventTypes: ["*"] });

    const sent = await caller.endpoints.sendTest({ endpointId: target.id });
    expect(sent.eventId).toMatch(/^evt_/);
    expect(sent.deliveryId).toMatch(/^dlv_/);

    const task = await waitFor("the delivery task of the resend", async () => {
      const latest = await lastDeliveryTask(h, target.id);
      return latest?.deliveryId === sent.deliveryId ? latest : null;
    });
    expect(task).toMatchObject({ eventId: sent.eventId, attemptNumber: 1, trigger: "scheduled" });
    expect(JSON.parse(task.body)).toMatchObject({
      type: "webhook.test",
      data: { endpointId: target.id, clinicId },
    });
    expect((await deliveriesOfEvent(h, sent.eventId)).map((d) => d.endpointId)).toEqual([
      target.id,
    ]);
    expect(await lastDeliveryTask(h, catchAll.id)).toBeNull();

    const page = await caller.deliveries.list({ endpointId: target.id });
    expect(page.items).toEqual([
      expect.objectContaining({
        id: sent.deliveryId,
        eventType: "webhook.test",
        status: "sending",
      }),
    ]);
    // Staff may test any clinic's endpoint.
    const byStaff = await h.staff.endpoints.sendTest({ endpointId: catchAll.id });
    await waitFor(
      "the staff resend's task for the catch-all endpoint",
      async () => (await lastDeliveryTask(h, catchAll.id))?.deliveryId === byStaff.deliveryId,
    );
  });

  it("refuses a disabled endpoint (CONFLICT) and another clinic's (NOT_FOUND), writing nothing", async () => {
    const { caller } = await h.newClinic("Refused Clinic");
    const { caller: stranger } = await h.newClinic("Stranger Clinic");
    const endpoint = await caller.endpoints.create({
      url: "https://clinic.example/off",
      eventTypes: ["claim.paid"],
    });
    await caller.endpoints.disable({ endpointId: endpoint.id });
    const { deliveries, events } = h.store.tables;
    const eventsBefore = (await h.store.db.select().from(events)).length;

    const disabled = await expectTrpcError(
      caller.endpoints.sendTest({ endpointId: endpoint.id }),
      "CONFLICT",
    );
    expect(disabled.message).toBe(
      `Endpoint '${endpoint.id}' is disabled ('manual'); enable it first`,
    );
    await expectTrpcError(stranger.endpoints.sendTest({ endpointId: endpoint.id }), "NOT_FOUND");

    expect(await h.store.db.select().from(events)).toHaveLength(eventsBefore);
    expect(
      await h.store.db.select().from(deliveries).where(eq(deliveries.endpointId, endpoint.id)),
    ).toEqual([]);
  });
});
