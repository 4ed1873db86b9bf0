import { DomainEventMessageSchema, openQueue, publishDomainEvent, STREAMS } from "@claimwire/queue";
import { isNull } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { events } from "../src/db/schema.ts";
import { createOutboxRelay, type OutboxRelayOptions } from "../src/relay/outbox-relay.ts";
import {
  type Caller,
  checkOutboxAndStop,
  claimInput,
  startTestInsurer,
  type TestInsurer,
  waitFor,
} from "./harness.ts";

let h: TestInsurer;
let clinic: Caller;

beforeAll(async () => {
  h = await startTestInsurer();
  ({ caller: clinic } = await h.newClinic());
});
afterAll(() => checkOutboxAndStop(h));

const unpublished = () =>
  h.database.db.select().from(events).where(isNull(events.publishedAt)).all();

async function streamMessages() {
  const info = await h.queue.jsm.streams.info(STREAMS.events);
  const messages = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages; seq++) {
    const msg = await h.queue.jsm.streams.getMessage(STREAMS.events, { seq });
    if (msg) messages.push({ msgId: msg.header.get("Nats-Msg-Id"), data: msg.json() });
  }
  return messages;
}

/** A relay of its own over the harness's database, queue and commit signal. */
const testRelay = (overrides: Partial<OutboxRelayOptions> = {}) =>
  createOutboxRelay({
    db: h.database.db,
    js: h.queue.js,
    jsm: h.queue.jsm,
    signal: h.insurer.services.outbox,
    log: pino({ level: "silent" }),
    ...overrides,
  });

describe("outbox relay", () => {
  it("publishes committed events in order, with Nats-Msg-Id = event id, and marks them", async () => {
    // A poll far beyond the wait below: only the commit notification can wake it in time.
    const relay = testRelay({ pollIntervalMs: 600_000 });
    relay.start();
    try {
      const claim = await clinic.claims.submit(claimInput());
      await h.staff.claims.decide({ claimId: claim.id, to: "in_review" });
      await h.staff.claims.decide({ claimId: claim.id, to: "approved" });
      await waitFor(() => unpublished().length === 0);

      const rows = h.database.db.select().from(events).orderBy(events.seq).all();
      expect(rows.every((row) => row.publishedAt !== null)).toBe(true);
      const onStream = await streamMessages();
      expect(onStream.map((m) => m.msgId)).toEqual(rows.map((row) => row.id));
      const first = DomainEventMessageSchema.parse(onStream[0]?.data);
      expect(first).toEqual({
        eventId: rows[0]?.id,
        clinicId: claim.clinicId,
        claimId: claim.id,
        committedAt: rows[0]?.committedAt,
        event: rows[0]?.payload,
      });
    } finally {
      await relay.stop();
    }
  });

  it("republishes after a crash between publish and mark; JetStream drops the copy", async () => {
    const claim = await clinic.claims.submit(claimInput());
    const [row] = unpublished();
    expect(row?.claimId).toBe(claim.id);
    // The crashed relay got its ack from JetStream but never marked the row.
    const first = await publishDomainEvent(h.queue.js, {
      eventId: row!.id,
      clinicId: row!.clinicId,
      claimId: row!.claimId,
      committedAt: row!.committedAt,
      event: row!.payload,
    });
    expect(first.duplicate).toBe(false);
    const before = (await h.queue.jsm.streams.info(STREAMS.events)).state.messages;

    // A relay of the restarted process.
    const restarted = testRelay();
    expect(await restarted.publishPending()).toEqual({ published: 1, duplicates: 1 });

    expect(unpublished()).toEqual([]);
    expect((await h.queue.jsm.streams.info(STREAMS.events)).state.messages).toBe(before);
    const copies = (await streamMessages()).filter((m) => m.msgId === row!.id);
    expect(copies).toHaveLength(1);
  });

  it("publishes on start-up what was committed while it was not running", async () => {
    await clinic.claims.submit(claimInput());
    await clinic.claims.submit(claimInput());
    expect(unpublished()).toHaveLength(2);
    h.insurer.relay.start();
    try {
      await waitFor(() => unpublished().length === 0);
    } finally {
      await h.insurer.relay.stop();
    }
  });

  it("records each event's stream sequence when JetStream acknowledges it", async () => {
    await clinic.claims.submit(claimInput());
    await h.insurer.relay.publishPending();
    const rows = h.database.db.select().from(events).orderBy(events.seq).all();
    for (const row of rows) {
      const msg = await h.queue.jsm.streams.getMessage(STREAMS.events, { seq: row.publishedSeq! });
      expect(msg?.header.get("Nats-Msg-Id")).toBe(row.id);
    }
  });

  it("republishes the tail the server lost after acknowledging it (OS crash before fsync)", async () => {
    // Everything so far is on the stream and marked published.
    await h.insurer.relay.publishPending();
    for (let i = 0; i < 3; i++) await clinic.claims.submit(claimInput());
    await h.insurer.relay.publishPending();
    const rows = h.database.db.select().from(events).orderBy(events.seq).all();
    expect(rows.every((row) => row.publishedAt !== null && row.publishedSeq !== null)).toBe(true);
    const before = await streamMessages();
    expect(before.map((m) => m.msgId)).toEqual(rows.map((row) => row.id));

    // The server comes back without its last 3 messages and without their dedup records:
    // simulated by recreating the stream with only the head it kept, in the same order.
    await h.queue.jsm.streams.delete(STREAMS.events);
    const reopened = await openQueue({ url: h.nats.url, name: "insurer-test-after-crash" });
    try {
      for (const row of rows.slice(0, -3)) {
        await publishDomainEvent(reopened.js, {
          eventId: row.id,
          clinicId: row.clinicId,
          claimId: row.claimId,
          committedAt: row.committedAt,
          event: row.payload,
        });
      }
    } finally {
      await reopened.close();
    }
    expect((await streamMessages()).map((m) => m.msgId)).toEqual(
      rows.slice(0, -3).map((r) => r.id),
    );

    // A restarted relay notices the stream is behind what it acknowledged.
    const restarted = testRelay();
    restarted.start();
    try {
      await waitFor(async () => (await streamMessages()).length === rows.length);
    } finally {
      await restarted.stop();
    }
    expect((await streamMessages()).map((m) => m.msgId)).toEqual(rows.map((row) => row.id));
    expect(unpublished()).toEqual([]);
    // Nothing is reported lost a second time.
    expect(await restarted.reconcileWithStream()).toBe(0);
  });
});
