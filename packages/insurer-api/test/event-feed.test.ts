import { type EventPage, WebhookEventSchema } from "@claimwire/contracts";
import { eventById, listEvents } from "@claimwire/insurer-domain";
import { waitFor } from "@claimwire/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/routers/root.ts";
import {
  type Caller,
  checkOutboxAndStop,
  claimInput,
  expectTrpcError,
  startTestInsurer,
  type TestClinic,
  type TestInsurer,
} from "../src/testing/harness.ts";

let h: TestInsurer;
let a: TestClinic;
let b: TestClinic;

beforeAll(async () => {
  // Started (HTTP, dispatcher), so long polls are tested over real HTTP too.
  h = await startTestInsurer({ start: true, env: { EVENT_FEED_MAX_WAITERS_PER_CLINIC: "2" } });
  a = await h.newClinic("Feed Clinic A");
  b = await h.newClinic("Feed Clinic B");
});
afterAll(() => checkOutboxAndStop(h));

/** The clinic's events as stored, oldest first: what its feed must hold. */
async function storedEvents(clinicId: string) {
  const { events } = h.store.tables;
  return await h.store.db
    .select()
    .from(events)
    .where(eq(events.clinicId, clinicId))
    .orderBy(asc(events.seq));
}

/** The newest stored event of a claim (the one its last change wrote). */
async function latestEventOf(claimId: string) {
  const { events } = h.store.tables;
  const rows = await h.store.db
    .select()
    .from(events)
    .where(eq(events.claimId, claimId))
    .orderBy(asc(events.seq));
  return rows.at(-1)!;
}

/** Every page from `after` to the end of the feed, following `nextCursor` while `hasMore`. */
async function readAll(caller: Caller, input: Parameters<Caller["events"]["list"]>[0] = {}) {
  const pages: EventPage[] = [];
  let after = input.after;
  for (;;) {
    const page = await caller.events.list({ ...input, ...(after ? { after } : {}) });
    pages.push(page);
    after = page.nextCursor ?? undefined;
    if (!page.hasMore) return { pages, items: pages.flatMap((p) => p.items), cursor: after };
  }
}

/** The cursor at the current end of a clinic's feed. */
async function headCursor(caller: Caller): Promise<string> {
  const { cursor } = await readAll(caller, { limit: 500 });
  if (!cursor) throw new Error("the feed is empty");
  return cursor;
}

/** A claim moved through `steps` decisions by staff; each change is one event. */
async function claimWith(clinic: TestClinic, steps: ("in_review" | "approved")[] = []) {
  const claim = await clinic.caller.claims.submit(claimInput());
  for (const to of steps) await h.staff.claims.decide({ claimId: claim.id, to });
  return claim;
}

describe("events.list", () => {
  it("pages a clinic's events oldest first with an opaque cursor, then continues from the end", async () => {
    const first = await claimWith(a, ["in_review"]);
    await claimWith(b); // interleaved: never in A's feed
    await claimWith(a, ["in_review", "approved"]);

    const stored = await storedEvents(a.clinicId);
    const { pages, items, cursor } = await readAll(a.caller, { limit: 2 });
    expect(pages.slice(0, -1).every((p) => p.items.length === 2 && p.hasMore)).toBe(true);
    expect(pages.at(-1)?.hasMore).toBe(false);
    expect(items).toEqual(
      stored.map((row) => ({
        id: row.id,
        type: row.type,
        occurredAt: row.committedAt,
        data: row.payload,
      })),
    );
    // The webhook body, exactly as delivered, under the webhook-id it was delivered with.
    for (const item of items) expect(WebhookEventSchema.parse(item.data)).toEqual(item.data);

    // Opaque, and stable: the same cursor gives the same page.
    const second = pages[0]!.nextCursor!;
    expect(second).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await a.caller.events.list({ after: second, limit: 2 })).toEqual(pages[1]);

    // At the end: nothing, and a cursor that picks up exactly what is committed next.
    expect(await a.caller.events.list({ after: cursor })).toMatchObject({
      items: [],
      hasMore: false,
      nextCursor: cursor,
    });
    await h.staff.claims.decide({ claimId: first.id, to: "approved" });
    const next = await a.caller.events.list({ after: cursor });
    expect(next.items.map((i) => i.id)).toEqual([(await latestEventOf(first.id)).id]);
    expect(next.items[0]).toMatchObject({
      type: "claim.approved",
      data: { data: { claimId: first.id, version: 3 } },
    });
  });

  it("filters by type, exactly and with wildcards", async () => {
    const c = await h.newClinic("Filter Clinic");
    await claimWith(c, ["in_review", "approved"]);
    const endpoint = await c.caller.endpoints.create({
      url: "https://filter.clinic.example/hooks",
      eventTypes: ["claim.paid"],
    });
    await c.caller.endpoints.disable({ endpointId: endpoint.id });
    await claimWith(c);

    const types = async (filter?: string[]) =>
      (await readAll(c.caller, filter ? { types: filter } : {})).items.map((i) => i.type);
    expect(await types()).toEqual([
      "claim.submitted",
      "claim.in_review",
      "claim.approved",
      "endpoint.disabled",
      "claim.submitted",
    ]);
    expect(await types(["*"])).toEqual(await types());
    expect(await types(["claim.*"])).toEqual([
      "claim.submitted",
      "claim.in_review",
      "claim.approved",
      "claim.submitted",
    ]);
    expect(await types(["endpoint.*"])).toEqual(["endpoint.disabled"]);
    expect(await types(["claim.approved", "endpoint.disabled"])).toEqual([
      "claim.approved",
      "endpoint.disabled",
    ]);
    expect(await types(["claim.paid"])).toEqual([]);

    // A filtered reader's cursor moves past the events it skipped, to the end of the feed.
    const paid = await readAll(c.caller, { types: ["claim.paid"] });
    expect(paid.cursor).toBe(await headCursor(c.caller));
  });

  it("leaves out events older than the retention window (EVENT_RETENTION_DAYS, default 30)", async () => {
    const c = await h.newClinic("Retention Clinic");
    await claimWith(c, ["in_review"]);
    const viewer = { role: "clinic", clinicId: c.clinicId } as const;
    const day = 86_400_000;
    expect(h.insurer.services.feed.retentionMs).toBe(30 * day);
    const at = (ms: number) => listEvents(h.insurer.services, viewer, { limit: 100 }, ms);
    expect((await at(Date.now() + 29 * day)).items).toHaveLength(2);
    const expired = await at(Date.now() + 31 * day);
    expect(expired.items).toEqual([]);
    // Still a cursor at the end of the feed: a poller goes on from there.
    expect(expired.nextCursor).toBe(await headCursor(c.caller));
  });
});

describe("events.byId", () => {
  it("answers one event as the feed shows it, to its clinic and to staff only", async () => {
    const c = await h.newClinic("By-id Clinic");
    await claimWith(c, ["in_review"]);
    const { items } = await readAll(c.caller);
    const item = items.at(-1)!;
    expect(await c.caller.events.byId({ eventId: item.id })).toEqual(item);
    expect(await h.staff.events.byId({ eventId: item.id })).toEqual(item);

    const other = await expectTrpcError(a.caller.events.byId({ eventId: item.id }), "NOT_FOUND");
    expect(other.message).toBe(`No event with id '${item.id}'`);
    await expectTrpcError(
      c.caller.events.byId({ eventId: "evt_00000000000000000000000000" }),
      "NOT_FOUND",
    );
    await expectTrpcError(c.caller.events.byId({ eventId: "clm_not_an_event" }), "BAD_REQUEST");

    // Past the retention window the feed does not hold it, by id either.
    const viewer = { role: "clinic", clinicId: c.clinicId } as const;
    const day = 86_400_000;
    expect((await eventById(h.insurer.services, viewer, item.id, Date.now() + 29 * day)).id).toBe(
      item.id,
    );
    await expect(
      eventById(h.insurer.services, viewer, item.id, Date.now() + 31 * day),
    ).rejects.toThrow(`No event with id '${item.id}'`);
  });
});

describe("tenancy", () => {
  it("shows a clinic only its own events, and another clinic's feed is NOT_FOUND", async () => {
    await claimWith(a);
    await claimWith(b);
    const ofA = (await readAll(a.caller)).items;
    const ofB = (await readAll(b.caller)).items;
    expect(ofA.map((i) => i.id)).toEqual((await storedEvents(a.clinicId)).map((r) => r.id));
    expect(ofB.map((i) => i.id)).toEqual((await storedEvents(b.clinicId)).map((r) => r.id));
    expect(ofA.every((i) => i.data.data.clinicId === a.clinicId)).toBe(true);
    expect(ofB.every((i) => i.data.data.clinicId === b.clinicId)).toBe(true);

    // Naming its own clinic is fine; naming another is NOT_FOUND (existence not revealed).
    expect((await readAll(a.caller, { clinicId: a.clinicId })).items).toEqual(ofA);
    const err = await expectTrpcError(a.caller.events.list({ clinicId: b.clinicId }), "NOT_FOUND");
    expect(err.message).toBe(`No clinic with id '${b.clinicId}'`);
    await expectTrpcError(
      a.caller.events.wait({ clinicId: b.clinicId, timeoutMs: 0 }),
      "NOT_FOUND",
    );
    // A cursor from B's feed gives A nothing of B's.
    const fromB = (await b.caller.events.list({ limit: 1 })).nextCursor!;
    const afterB = (await readAll(a.caller, { after: fromB })).items;
    expect(afterB.every((i) => i.data.data.clinicId === a.clinicId)).toBe(true);

    await expectTrpcError(h.caller(null).events.list({}), "UNAUTHORIZED");
  });

  it("lets staff read one clinic's feed or every clinic's", async () => {
    const one = (await readAll(h.staff, { clinicId: a.clinicId, limit: 500 })).items;
    expect(one.map((i) => i.id)).toEqual((await storedEvents(a.clinicId)).map((r) => r.id));
    const all = (await readAll(h.staff, { limit: 500 })).items;
    const { events } = h.store.tables;
    const everything = await h.store.db.select().from(events).orderBy(asc(events.seq));
    expect(all.map((i) => i.id)).toEqual(everything.map((r) => r.id));
    const unknown = "cln_01JDQ6Z7Y8X9W0V1T2S3R4Q5P6";
    const err = await expectTrpcError(h.staff.events.list({ clinicId: unknown }), "NOT_FOUND");
    expect(err.message).toBe(`No clinic with id '${unknown}'`);
  });
});

describe("events.wait (long polling)", () => {
  it("answers at once when a newer event already exists", async () => {
    const before = await headCursor(a.caller);
    const claim = await claimWith(a);
    // Were it to wait, it would outlast this test's timeout.
    const page = await a.caller.events.wait({ after: before, timeoutMs: 30_000 });
    expect(page.items.map((i) => i.id)).toEqual([(await latestEventOf(claim.id)).id]);
  }, 20_000);

  it("wakes when an event of the clinic is committed while it waits, with that event", async () => {
    const claim = await claimWith(a);
    const after = await headCursor(a.caller);
    const waiting = a.caller.events.wait({ after, timeoutMs: 30_000 });
    await waitFor(
      "clinic A's poll to be waiting",
      () => h.insurer.services.feed.waiters.count(a.clinicId) === 1,
    );
    await claimWith(b); // another clinic's commit does not answer A's poll
    await h.staff.claims.decide({ claimId: claim.id, to: "in_review" });

    const page = await waiting;
    expect(page.items.map((i) => [i.id, i.type])).toEqual([
      [(await latestEventOf(claim.id)).id, "claim.in_review"],
    ]);
    expect(page.hasMore).toBe(false);
    expect(page.nextCursor).toBe(await headCursor(a.caller));
    expect(h.insurer.services.feed.waiters.count(a.clinicId)).toBe(0);
  }, 20_000);

  it("keeps waiting through events its type filter skips", async () => {
    const claim = await claimWith(a);
    const after = await headCursor(a.caller);
    const waiting = a.caller.events.wait({ after, types: ["claim.approved"], timeoutMs: 30_000 });
    await waitFor(
      "clinic A's poll to be waiting",
      () => h.insurer.services.feed.waiters.count(a.clinicId) === 1,
    );
    await h.staff.claims.decide({ claimId: claim.id, to: "in_review" });
    await h.staff.claims.decide({ claimId: claim.id, to: "approved" });
    const page = await waiting;
    expect(page.items.map((i) => i.type)).toEqual(["claim.approved"]);
    expect(page.items[0]?.id).toBe((await latestEventOf(claim.id)).id);
  }, 20_000);

  it("times out with an empty page and the cursor to use next", async () => {
    const after = await headCursor(a.caller);
    const page = await a.caller.events.wait({ after, timeoutMs: 50 });
    expect(page).toEqual({ items: [], nextCursor: after, hasMore: false });
  });

  it("holds at most EVENT_FEED_MAX_WAITERS_PER_CLINIC long polls per clinic", async () => {
    const after = await headCursor(a.caller);
    const first = a.caller.events.wait({ after, timeoutMs: 30_000 });
    const second = a.caller.events.wait({ after, timeoutMs: 30_000 });
    await waitFor(
      "clinic A's two polls to be waiting",
      () => h.insurer.services.feed.waiters.count(a.clinicId) === 2,
    );
    const err = await expectTrpcError(
      a.caller.events.wait({ after, timeoutMs: 30_000 }),
      "TOO_MANY_REQUESTS",
    );
    expect(err.message).toContain(`Clinic '${a.clinicId}' already has 2 long polls open`);
    // Other clinics are not affected, and a plain list always answers.
    expect((await b.caller.events.wait({ timeoutMs: 0 })).items.length).toBeGreaterThan(0);
    expect((await a.caller.events.list({ after })).items).toEqual([]);

    const claim = await claimWith(a);
    for (const page of await Promise.all([first, second])) {
      expect(page.items.map((i) => i.id)).toEqual([(await latestEventOf(claim.id)).id]);
    }
    expect(h.insurer.services.feed.waiters.count(a.clinicId)).toBe(0);
  }, 20_000);

  it("refuses bad input with BAD_REQUEST naming the field", async () => {
    const message = async (call: Promise<unknown>) =>
      (await expectTrpcError(call, "BAD_REQUEST")).message;
    expect(await message(a.caller.events.wait({ timeoutMs: 30_001 }))).toBe(
      "timeoutMs: Too big: expected number to be <=30000",
    );
    expect(await message(a.caller.events.list({ after: "not-a-cursor" }))).toBe(
      "after: is not a cursor this API returned",
    );
    const forged = Buffer.from(JSON.stringify({ seq: -1 })).toString("base64url");
    expect(await message(a.caller.events.wait({ after: forged, timeoutMs: 0 }))).toBe(
      "after: is not a cursor this API returned",
    );
    expect(await message(a.caller.events.list({ types: ["claim.aproved"] }))).toBe(
      "types.0: 'claim.aproved' matches no event type",
    );
    expect(await message(a.caller.events.list({ limit: 501 }))).toMatch(/^limit: /);
  });
});

describe("long polling over HTTP", () => {
  const client = (apiKey: string) =>
    createTRPCClient<AppRouter>({
      // httpLink, not httpBatchLink: a long poll must not hold other calls in its batch.
      links: [httpLink({ url: h.url!, headers: { authorization: `Bearer ${apiKey}` } })],
    });

  it("answers a waiting request when the event is committed", async () => {
    const claim = await claimWith(a);
    const after = await headCursor(a.caller);
    const waiting = client(a.apiKey).events.wait.query({ after, timeoutMs: 30_000 });
    await waitFor(
      "clinic A's poll to be waiting",
      () => h.insurer.services.feed.waiters.count(a.clinicId) === 1,
    );
    await h.staff.claims.decide({ claimId: claim.id, to: "in_review" });
    const page = await waiting;
    expect(page.items.map((i) => i.id)).toEqual([(await latestEventOf(claim.id)).id]);
  }, 20_000);

  it("frees the place of a client that hangs up, and answers 429 when the clinic has too many", async () => {
    const after = await headCursor(a.caller);
    const hangUp = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ after, timeoutMs: 30_000 }));
    const request = fetch(`${h.url}/events.wait?input=${input}`, {
      headers: { authorization: `Bearer ${a.apiKey}` },
      signal: hangUp.signal,
    }).catch((e: unknown) => e);
    const other = client(a.apiKey).events.wait.query({ after, timeoutMs: 30_000 });
    await waitFor(
      "clinic A's two polls to be waiting",
      () => h.insurer.services.feed.waiters.count(a.clinicId) === 2,
    );

    const refused = await client(a.apiKey)
      .events.wait.query({ after, timeoutMs: 30_000 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data?.httpStatus).toBe(429);

    hangUp.abort();
    await request;
    await waitFor(
      "clinic A's remaining poll to be waiting",
      () => h.insurer.services.feed.waiters.count(a.clinicId) === 1,
    );

    await claimWith(a);
    expect((await other).items).toHaveLength(1);
  }, 20_000);
});
