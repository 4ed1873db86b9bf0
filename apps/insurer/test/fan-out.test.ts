import {
  CONSUMERS,
  type DeliveryTask,
  DeliveryTaskSchema,
  type DomainEventMessage,
  STREAMS,
  subjects,
} from "@claimwire/queue";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, endpoints, events } from "../src/db/schema.ts";
import { recordDeliveries } from "../src/fanout/fan-out.ts";
import {
  claimInput,
  expectOutboxMatchesContract,
  startTestInsurer,
  type TestInsurer,
  waitFor,
} from "./harness.ts";

let h: TestInsurer;

beforeAll(async () => {
  h = await startTestInsurer();
  h.insurer.relay.start();
  h.insurer.fanout.start();
});
afterAll(async () => {
  expectOutboxMatchesContract(h);
  await h?.stop();
});

function deliveriesOf(eventId: string) {
  return h.database.db.select().from(deliveries).where(eq(deliveries.eventId, eventId)).all();
}

/** The delivery task JetStream holds for an endpoint (the latest), or null. */
async function taskFor(endpointId: string): Promise<DeliveryTask | null> {
  const msg = await h.queue.jsm.streams
    .getMessage(STREAMS.deliveries, { last_by_subj: subjects.delivery(endpointId) })
    .catch(() => null);
  return msg ? DeliveryTaskSchema.parse(msg.json()) : null;
}

/** Resolves once fan-out has acknowledged everything on EVENTS. */
async function fanOutIdle() {
  await waitFor(async () => {
    const info = await h.queue.jsm.consumers.info(STREAMS.events, CONSUMERS.fanout);
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

describe("fan-out", () => {
  it("creates one delivery task per subscribed, enabled endpoint of the event's clinic", async () => {
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
    h.database.db
      .update(endpoints)
      .set({ enabled: false })
      .where(eq(endpoints.id, disabled.id))
      .run();
    const otherClinic = await b.caller.endpoints.create({ url, eventTypes: ["claim.submitted"] });

    const claim = await a.caller.claims.submit(claimInput());
    const event = h.database.db.select().from(events).where(eq(events.claimId, claim.id)).get()!;
    await waitFor(() => deliveriesOf(event.id).length === 2);
    await fanOutIdle();

    const rows = deliveriesOf(event.id);
    expect(rows.map((d) => d.endpointId).sort()).toEqual([subscribed.id, alsoSubscribed.id].sort());
    expect(rows.every((d) => d.status === "pending" && d.attemptCount === 0)).toBe(true);
    for (const row of rows) {
      const task = await waitFor(() => taskFor(row.endpointId));
      expect(task).toEqual({
        deliveryId: row.id,
        eventId: event.id,
        endpointId: row.endpointId,
        clinicId: a.clinicId,
        eventType: "claim.submitted",
        body: JSON.stringify(event.payload),
        committedAt: event.committedAt,
      });
    }
    for (const endpoint of [otherType, disabled, otherClinic]) {
      expect(await taskFor(endpoint.id)).toBeNull();
    }
  });

  it("creates no second delivery when the same event arrives again", async () => {
    const a = await h.newClinic("Clinic C");
    const endpoint = await a.caller.endpoints.create({
      url: "https://clinic.example/hooks",
      eventTypes: ["claim.submitted"],
    });
    const claim = await a.caller.claims.submit(claimInput());
    const event = h.database.db.select().from(events).where(eq(events.claimId, claim.id)).get()!;
    await waitFor(() => deliveriesOf(event.id).length === 1);
    await fanOutIdle();
    const [first] = deliveriesOf(event.id);

    // JetStream redelivers (e.g. fan-out died before its ack): a copy under another
    // Nats-Msg-Id reaches the consumer again.
    const msg: DomainEventMessage = {
      eventId: event.id,
      clinicId: event.clinicId,
      claimId: event.claimId,
      committedAt: event.committedAt,
      event: event.payload,
    };
    await h.queue.js.publish(subjects.event(msg.clinicId, msg.event.type), JSON.stringify(msg), {
      msgID: `${event.id}-redelivered`,
    });
    await fanOutIdle();

    expect(deliveriesOf(event.id)).toEqual([first]);
    // Its task was published again under the same Nats-Msg-Id (the delivery id): dropped.
    const stream = await h.queue.jsm.streams.info(STREAMS.deliveries, {
      subjects_filter: subjects.delivery(endpoint.id),
    });
    expect(stream.state.subjects?.[subjects.delivery(endpoint.id)]).toBe(1);
    // And calling the recorder directly again returns the same pending delivery.
    expect(recordDeliveries(h.database.db, msg).map((t) => t.deliveryId)).toEqual([first!.id]);
  });
});
