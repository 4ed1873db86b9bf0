import { claimStatusHistory, claims, inbox, patientNotifications } from "@claimwire/clinic-db";
import {
  matchesEventTypeFilter,
  WEBHOOK_EVENT_EXAMPLES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEvent,
} from "@claimwire/contracts";
import { newId } from "@claimwire/ids";
import { asc, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import type { ClinicInsurerApi } from "../insurer-api.ts";
import {
  claimLifecycle,
  createTestClinic,
  silentLogger,
  type TestClinic,
  unusedInsurer,
} from "../testing/clinic-fixture.ts";
import { createFeedReconciler } from "./feed-reconciler.ts";
import { loadReconciliationState } from "./reconciliation-state.ts";
import { type FeedItem, storeFeedEvent } from "./store-feed-event.ts";

let clinics: TestClinic[] = [];
afterEach(() => {
  for (const clinic of clinics) clinic.close();
  clinics = [];
});

const MINUTE = 60_000;
type ListInput = Parameters<ClinicInsurerApi["events"]["list"]["query"]>[0];

/**
 * Stands in for the insurer's `events.list` at the SDK edge (the real feed is tested in
 * apps/insurer and, end to end, in test/e2e/reconciliation.test.ts): events in commit
 * order with positions, the same cursor, page, filter and `hasMore` rules, and a record
 * of every call. It can fail a call like an insurer that is down.
 */
function standInFeed() {
  const log: { seq: number; item: FeedItem }[] = [];
  const calls: ListInput[] = [];
  let failCall: number | undefined;
  const cursor = (seq: number) => Buffer.from(JSON.stringify({ seq })).toString("base64url");
  const position = (c: string | undefined) =>
    c === undefined ? 0 : (JSON.parse(Buffer.from(c, "base64url").toString()).seq as number);

  const list = async (input: ListInput) => {
    calls.push(input);
    if (failCall === calls.length) throw new TypeError("fetch failed");
    const after = position(input.after);
    const types = input.types ?? ["*"];
    const limit = input.limit ?? 100;
    const matching = log.filter(
      (e) => e.seq > after && types.some((t) => matchesEventTypeFilter(t, e.item.type)),
    );
    const page = matching.slice(0, limit);
    const hasMore = matching.length > limit;
    const head = Math.max(after, log.at(-1)?.seq ?? 0);
    const next = hasMore ? page.at(-1)!.seq : head;
    return {
      items: page.map((e) => e.item) as never,
      nextCursor: next > 0 ? cursor(next) : null,
      hasMore,
    };
  };
  return {
    calls,
    /** Appends events as the insurer commits them; returns their feed entries. */
    commit(...items: FeedItem[]) {
      for (const item of items) log.push({ seq: log.length + 1, item });
      return items;
    },
    failOnCall(n: number) {
      failCall = n;
    },
    cursorAt: cursor,
    client: { ...unusedInsurer, events: { list: { query: list } } } satisfies ClinicInsurerApi,
  };
}

/** A feed entry for an event, committed `at` (default: its own timestamp). */
function feedItem(event: WebhookEvent, at: string = event.timestamp): FeedItem {
  return { id: newId("event"), type: event.type, occurredAt: at, data: event };
}

function newClinic(feed: ReturnType<typeof standInFeed>, settleMs = 30_000) {
  const clinic = createTestClinic({
    client: feed.client,
    config: { publicUrl: "http://127.0.0.1:3000", gapWaitMs: 30_000, reconcileSettleMs: settleMs },
  });
  clinics.push(clinic);
  // The lifecycle events happen at 09:00–09:03; by 09:10 they have all settled.
  clinic.clock.advance(10 * MINUTE);
  return clinic;
}

function inboxRows(clinic: TestClinic) {
  return clinic.db.select().from(inbox).orderBy(asc(inbox.claimId), asc(inbox.version)).all();
}
function history(clinic: TestClinic, claimId: string) {
  return clinic.db
    .select({ version: claimStatusHistory.version, status: claimStatusHistory.status })
    .from(claimStatusHistory)
    .where(eq(claimStatusHistory.claimId, claimId))
    .orderBy(asc(claimStatusHistory.version))
    .all();
}

describe("reconciliation with the insurer's event feed", () => {
  it("applies events that never arrived as webhooks, exactly as if they had", async () => {
    const feed = standInFeed();
    const clinic = newClinic(feed);
    const [v1, v2, v3, v4] = claimLifecycle();
    const claimId = v1.data.claimId;
    const disabled = WEBHOOK_EVENT_EXAMPLES["endpoint.disabled"];
    const [e1, , , , e5] = feed.commit(
      feedItem(v1),
      feedItem(v2),
      feedItem(v3),
      feedItem(v4),
      feedItem(disabled, v4.timestamp),
    );
    // Only v1 came as a webhook (same webhook-id as its feed entry).
    expect((await clinic.deliver(v1, { webhookId: e1!.id })).status).toBe(204);

    const run = await clinic.reconciler.runOnce();
    expect(run).toEqual({ fetched: 5, stored: 4, pages: 1 });
    clinic.processor.processPending();

    expect(clinic.db.select().from(claims).where(eq(claims.id, claimId)).get()).toMatchObject({
      status: "paid",
      version: 4,
      paidAmount: 18_500,
    });
    expect(history(clinic, claimId)).toEqual([
      { version: 1, status: "submitted" },
      { version: 2, status: "in_review" },
      { version: 3, status: "approved" },
      { version: 4, status: "paid" },
    ]);
    const notified = clinic.db
      .select()
      .from(patientNotifications)
      .where(eq(patientNotifications.claimId, claimId))
      .all();
    expect(notified.map((n) => n.version)).toEqual([1, 2, 3, 4]);
    expect(
      inboxRows(clinic).map((r) => [r.eventType, r.version, r.source, r.state, r.webhookId]),
    ).toEqual([
      // The operational event: no claim, marked applied, as from a webhook.
      ["endpoint.disabled", 0, "feed", "applied", e5!.id],
      ["claim.submitted", 1, "webhook", "applied", e1!.id],
      ["claim.in_review", 2, "feed", "applied", expect.any(String)],
      ["claim.approved", 3, "feed", "applied", expect.any(String)],
      ["claim.paid", 4, "feed", "applied", expect.any(String)],
    ]);
    expect(loadReconciliationState(clinic.db)).toMatchObject({
      lastRunFetched: 5,
      lastRunNew: 4,
      lastRunError: null,
      lastRunAt: "2026-11-30T09:10:00.000Z",
      lastSuccessAt: "2026-11-30T09:10:00.000Z",
    });
  });

  it("stores a feed event in the row the receiver stores for its webhook", async () => {
    const [v1] = claimLifecycle();
    const item = feedItem(v1);
    const byWebhook = newClinic(standInFeed());
    await byWebhook.deliver(v1, { webhookId: item.id });
    const feed = standInFeed();
    feed.commit(item);
    const byFeed = newClinic(feed);
    await byFeed.reconciler.runOnce();
    byWebhook.processor.processPending();
    byFeed.processor.processPending();

    const [webhookRow] = inboxRows(byWebhook);
    const [feedRow] = inboxRows(byFeed);
    // Only what a webhook alone has (its signed bytes and signature, its send time, its
    // delivery count) and the source differ; the processor treated both alike.
    const differs = [
      "rawBody",
      "webhookSignature",
      "webhookTimestamp",
      "source",
      "deliveries",
      "lastDeliveredAt",
    ] as const;
    const same = (row: typeof webhookRow) =>
      Object.fromEntries(
        Object.entries(row!).filter(([k]) => !(differs as readonly string[]).includes(k)),
      );
    expect(same(feedRow)).toEqual(same(webhookRow));
    expect(JSON.parse(feedRow!.body)).toEqual(JSON.parse(webhookRow!.body));
    expect([webhookRow?.source, feedRow?.source]).toEqual(["webhook", "feed"]);
    expect(feedRow?.webhookSignature).toBe("");
    expect(feedRow?.rawBody).toBeNull();
  });

  it("keeps one message when the webhook arrives after the feed brought the event", async () => {
    const feed = standInFeed();
    const clinic = newClinic(feed);
    const [v1] = claimLifecycle();
    const [item] = feed.commit(feedItem(v1));
    await clinic.reconciler.runOnce();
    // The late webhook is acknowledged (the insurer stops retrying) and adds nothing.
    expect((await clinic.deliver(v1, { webhookId: item!.id })).status).toBe(204);
    clinic.processor.processPending();
    expect(inboxRows(clinic).map((r) => [r.source, r.state])).toEqual([["feed", "applied"]]);
    expect(history(clinic, v1.data.claimId)).toHaveLength(1);
    // And a second run finds nothing new.
    expect(await clinic.reconciler.runOnce()).toMatchObject({ fetched: 0, stored: 0 });
  });

  it("reads page by page from the stored cursor, and a restart resumes there", async () => {
    const feed = standInFeed();
    const clinic = newClinic(feed);
    const [a1, a2, a3] = claimLifecycle();
    const [b1, b2] = claimLifecycle();
    feed.commit(...[a1, b1, a2, b2, a3].map((e) => feedItem(e)));
    const options = {
      db: clinic.db,
      client: feed.client,
      logger: silentLogger,
      clock: clinic.clock,
      intervalMs: 60_000,
      settleMs: 30_000,
      pageSize: 2,
      onStored: () => clinic.processor.wake(),
    };

    const first = createFeedReconciler(options);
    expect(await first.runOnce()).toEqual({ fetched: 5, stored: 5, pages: 3 });
    // From the start of the feed, then from each page's cursor; only the subscribed types.
    expect(feed.calls.map((c) => c.after)).toEqual([undefined, feed.cursorAt(2), feed.cursorAt(4)]);
    expect(feed.calls[0]).toEqual({ types: WEBHOOK_EVENT_TYPES, limit: 2 });
    expect(loadReconciliationState(clinic.db).cursor).toBe(feed.cursorAt(5));
    first.stop();

    // The clinic restarts: a new reconciler on the same database.
    const [, , , a4] = claimLifecycle(a1.data.claimId);
    const [, , b3] = claimLifecycle(b1.data.claimId);
    feed.commit(feedItem(a4!), feedItem(b3!));
    const restarted = createFeedReconciler(options);
    expect(await restarted.runOnce()).toEqual({ fetched: 2, stored: 2, pages: 1 });
    expect(feed.calls.at(-1)?.after).toBe(feed.cursorAt(5));
    clinic.processor.processPending();
    expect(history(clinic, a1.data.claimId).map((h) => h.version)).toEqual([1, 2, 3, 4]);
    expect(history(clinic, b1.data.claimId).map((h) => h.version)).toEqual([1, 2, 3]);
  });

  it("keeps what the pages before a failure brought, and the next run goes on from there", async () => {
    const feed = standInFeed();
    const clinic = newClinic(feed);
    const reconciler = createFeedReconciler({
      db: clinic.db,
      client: feed.client,
      logger: silentLogger,
      clock: clinic.clock,
      intervalMs: 60_000,
      settleMs: 30_000,
      pageSize: 2,
      onStored: () => {},
    });
    feed.commit(...claimLifecycle().map((e) => feedItem(e)), feedItem(claimLifecycle()[0]));
    feed.failOnCall(3);

    const failed = await reconciler.runOnce();
    expect(failed).toEqual({ fetched: 4, stored: 4, pages: 2, error: "fetch failed" });
    expect(loadReconciliationState(clinic.db)).toMatchObject({
      cursor: feed.cursorAt(4),
      lastRunError: "fetch failed",
      lastRunNew: 4,
      lastSuccessAt: null,
    });
    expect(await shownStatus(clinic)).toMatchObject({
      lastSuccessAt: null,
      lastRunError: "fetch failed",
    });

    expect(await reconciler.runOnce()).toEqual({ fetched: 1, stored: 1, pages: 1 });
    expect(feed.calls.at(-1)?.after).toBe(feed.cursorAt(4));
    expect(loadReconciliationState(clinic.db).lastRunError).toBeNull();
  });

  it("leaves events younger than CLINIC_RECONCILE_SETTLE_MS to their webhooks", async () => {
    const feed = standInFeed();
    const clinic = newClinic(feed, 30_000);
    const [v1, v2] = claimLifecycle();
    const now = clinic.clock.now();
    const [, young] = feed.commit(
      feedItem(v1, new Date(now - MINUTE).toISOString()),
      feedItem(v2, new Date(now - 1_000).toISOString()),
    );

    expect(await clinic.reconciler.runOnce()).toMatchObject({ fetched: 2, stored: 1 });
    // The cursor stays before the unsettled page, so the young event is looked at again.
    expect(loadReconciliationState(clinic.db).cursor).toBeNull();
    await clinic.deliver(v2, { webhookId: young!.id });

    clinic.clock.advance(MINUTE);
    expect(await clinic.reconciler.runOnce()).toMatchObject({ fetched: 2, stored: 0 });
    expect(loadReconciliationState(clinic.db).cursor).toBe(feed.cursorAt(2));
    expect(inboxRows(clinic).map((r) => [r.version, r.source])).toEqual([
      [1, "feed"],
      [2, "webhook"],
    ]);
  });

  it("keeps a feed event it cannot read as a failed message and goes on", async () => {
    const feed = standInFeed();
    const clinic = newClinic(feed);
    const [v1, v2] = claimLifecycle();
    const broken = { ...v1, data: { ...v1.data, version: 0 } } as WebhookEvent;
    const [bad] = feed.commit(feedItem(broken), feedItem(v2));
    expect(await clinic.reconciler.runOnce()).toMatchObject({ stored: 2 });
    const row = clinic.db.select().from(inbox).where(eq(inbox.webhookId, bad!.id)).get();
    expect(row).toMatchObject({ state: "failed", source: "feed" });
    expect(row?.error).toMatch(/does not match the contract/);
    expect(loadReconciliationState(clinic.db).cursor).toBe(feed.cursorAt(2));
  });
});

describe("storeFeedEvent", () => {
  it("keeps a feed event of a type the clinic does not know for the processor to ignore, not fail", () => {
    const clinic = newClinic(standInFeed());
    const data = { type: "claim.reopened", timestamp: "2026-11-30T09:05:00.000Z", data: {} };
    const item = { id: "evt_new_type", type: data.type, occurredAt: data.timestamp, data };
    expect(storeFeedEvent(clinic.db, item, clinic.clock.now())).toBe(true);
    expect(inboxRows(clinic)).toMatchObject([
      { webhookId: "evt_new_type", eventType: "claim.reopened", state: "pending", source: "feed" },
    ]);
    expect(clinic.processor.processPending()).toMatchObject({ ignored: 1, failed: 0 });
    expect(inboxRows(clinic)).toMatchObject([{ state: "ignored", error: null }]);
  });
});

describe("reconciliation in the running clinic", () => {
  it("runs once registered and then on a schedule, and the web app's API says when it last ran", async () => {
    const feed = standInFeed();
    const order: string[] = [];
    let startSecondRun = () => {};
    const secondRun = new Promise<void>((resolve) => {
      startSecondRun = resolve;
    });
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const client = {
      ...feed.client,
      endpoints: {
        list: {
          query: async () => {
            order.push("endpoints.list");
            return [];
          },
        },
        create: {
          mutate: async (input: { url: string }) => {
            order.push("endpoints.create");
            return {
              id: newId("endpoint"),
              clinicId: newId("clinic"),
              url: input.url,
              eventTypes: [...WEBHOOK_EVENT_TYPES],
              description: "",
              signatureScheme: "hmac-sha256" as const,
              headers: {},
              rateLimitPerSecond: null,
              payloadFilter: null,
              enabled: true,
              disabledReason: null,
              disabledAt: null,
              failingSince: null,
              createdAt: "2026-11-30T09:00:00.000Z",
              secret,
            };
          },
        },
        delete: {
          mutate: async (): Promise<{ id: string }> => {
            throw new Error("nothing to delete in this test");
          },
        },
      },
      events: {
        list: {
          query: async (input: ListInput) => {
            order.push("events.list");
            // The timer's run waits until the test has looked at the first run's result.
            if (order.filter((call) => call === "events.list").length === 2) await secondRun;
            return feed.client.events.list.query(input);
          },
        },
      },
    } satisfies ClinicInsurerApi;
    const clinic = createTestClinic({
      register: false,
      client,
      config: {
        publicUrl: "http://127.0.0.1:3000",
        gapWaitMs: 30_000,
        reconcileIntervalMs: 100,
        reconcileSettleMs: 30_000,
      },
    });
    clinics.push(clinic);
    clinic.clock.advance(10 * MINUTE);
    feed.commit(...claimLifecycle().map((e) => feedItem(e)));

    expect(await shownStatus(clinic)).toMatchObject({ lastRunAt: null });

    await clinic.start();
    await waitUntil(() => loadReconciliationState(clinic.db).lastRunAt !== null);
    expect(order.slice(0, 3)).toEqual(["endpoints.list", "endpoints.create", "events.list"]);
    expect(await shownStatus(clinic)).toMatchObject({
      lastRunAt: expect.stringMatching(/^2026-11-30T09:10/),
      lastRunNew: 4,
      lastRunError: null,
    });
    await waitUntil(() => clinic.db.select().from(claims).get()?.status === "paid");

    // And again on the timer: the feed has nothing new.
    clinic.clock.advance(MINUTE);
    startSecondRun();
    await waitUntil(() =>
      loadReconciliationState(clinic.db).lastRunAt?.startsWith("2026-11-30T09:11"),
    );
    expect(await shownStatus(clinic)).toMatchObject({
      lastRunAt: expect.stringMatching(/^2026-11-30T09:11/),
      lastRunNew: 0,
      lastRunError: null,
    });
  });
});

/** What the web app shows of reconciliation: the clinic API's `reconciliation.status`. */
async function shownStatus(clinic: TestClinic) {
  const response = await clinic.app.request("/api/trpc/reconciliation.status");
  const body = (await response.json()) as { result: { data: Record<string, unknown> } };
  return body.result.data;
}

async function waitUntil(check: () => boolean | undefined, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
