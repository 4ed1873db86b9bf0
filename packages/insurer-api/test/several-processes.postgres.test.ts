import { newId } from "@claimwire/ids";
import { leaseHolderPid } from "@claimwire/insurer-db";
import { waitFor } from "@claimwire/testing";
import { eq, inArray } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimInput,
  STAFF_KEY,
  startTestInsurer,
  type TestClinic,
  type TestInsurer,
} from "../src/testing/index.ts";

// Two insurer processes on one PostgreSQL database (and one nats-server): each has its
// own store, pool, leases and in-memory state, as two processes would. PostgreSQL only
// (the sqlite project of the suite leaves *.postgres.test.ts out): SQLite is one process
// per file.

let a: TestInsurer;
let b: TestInsurer;
let clinic: TestClinic;
/** The same clinic, calling process B. */
let clinicAtB: TestClinic["caller"];

beforeAll(async () => {
  a = await startTestInsurer({ start: true });
  b = await startTestInsurer({ start: true, joining: a });
  clinic = await a.newClinic();
  const principal = { role: "clinic" as const, clinicId: clinic.clinicId };
  clinicAtB = b.caller(principal);
});

afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

/** The server-side process ids of the sessions holding an advisory lock (a lease) now. */
async function leaseHolders(): Promise<number[]> {
  const admin = new pg.Client({ connectionString: dbUrl() });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())",
    );
    return rows.map((row) => row.pid);
  } finally {
    await admin.end();
  }
}

function dbUrl(): string {
  if (!("DATABASE_URL" in a.storeEnv)) throw new Error("these tests need PostgreSQL");
  return a.storeEnv.DATABASE_URL;
}

describe("several insurer processes on one PostgreSQL", () => {
  it("dispatch from one process at a time, and a commit in either reaches a clinic's endpoint", async () => {
    await waitFor("one process to hold the dispatcher lease", () =>
      [a, b].some((h) => h.insurer.holds("dispatcher")),
    );
    expect([a, b].filter((h) => h.insurer.holds("dispatcher"))).toHaveLength(1);
    // Operators see it in each process's /metrics.
    const held = await Promise.all(
      [a, b].map(async (h) => {
        const text = await (await fetch(`${h.baseUrl}/metrics`)).text();
        return text.includes('claimwire_lease_held{lease="dispatcher"} 1');
      }),
    );
    expect(held).toEqual([a, b].map((h) => h.insurer.holds("dispatcher")));
    // And PostgreSQL names the holder's process (both run in this test's process here).
    expect(await leaseHolderPid(dbUrl(), "dispatcher")).toBe(process.pid);
    expect(await leaseHolderPid(dbUrl(), "simulator")).toBeUndefined();

    await clinic.caller.endpoints.create({
      url: `https://clinic.example/${newId("endpoint")}`,
      eventTypes: ["claim.submitted"],
    });
    // Submitted through each process: the dispatching one publishes both, woken by the
    // other's commit (NOTIFY), not only by its own.
    const viaA = await clinic.caller.claims.submit(claimInput());
    const viaB = await clinicAtB.claims.submit(claimInput());
    const { deliveries, events } = a.store.tables;
    for (const claim of [viaA, viaB]) {
      await waitFor(`claim ${claim.id}'s first attempt to be dispatched`, async () => {
        const rows = await a.store.db
          .select({ attemptCount: deliveries.attemptCount })
          .from(deliveries)
          .innerJoin(events, eq(events.id, deliveries.eventId))
          .where(eq(events.claimId, claim.id));
        return rows.length === 1 && rows[0]?.attemptCount === 1;
      });
    }
  });

  it("hand the dispatcher lease over when its holder's session dies", async () => {
    const holder = a.insurer.holds("dispatcher") ? a : b;
    expect(holder.insurer.holds("dispatcher")).toBe(true);
    // What PostgreSQL sees when a process is killed: its sessions end. Ending every
    // session that holds a lease takes the holder's (and, if it has any, the other's).
    const admin = new pg.Client({ connectionString: dbUrl() });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend(pid) from unnest($1::int[]) as pid", [
        await leaseHolders(),
      ]);
    } finally {
      await admin.end();
    }
    await waitFor("a process to hold the dispatcher lease again", () =>
      [a, b].some((h) => h.insurer.holds("dispatcher")),
    );
    expect([a, b].filter((h) => h.insurer.holds("dispatcher"))).toHaveLength(1);
    // Whoever holds it now dispatches: a new claim's attempt goes out.
    await clinic.caller.endpoints.create({
      url: `https://clinic.example/${newId("endpoint")}`,
      eventTypes: ["claim.submitted"],
    });
    const claim = await clinicAtB.claims.submit(claimInput());
    const { deliveries, events } = a.store.tables;
    await waitFor("the new claim's attempts to be dispatched by the new holder", async () => {
      const rows = await a.store.db
        .select({ attemptCount: deliveries.attemptCount })
        .from(deliveries)
        .innerJoin(events, eq(events.id, deliveries.eventId))
        .where(eq(events.claimId, claim.id));
      return rows.length > 0 && rows.every((row) => row.attemptCount === 1);
    });
  });

  it("dispatch each due delivery once when both dispatchers run a round at the same moment", async () => {
    // Dispatchers driven by hand (no lease): the claim transactions alone must keep a
    // delivery from being taken twice.
    const one = await startTestInsurer({ joining: a });
    const two = await startTestInsurer({ joining: a });
    try {
      const other = await one.newClinic();
      await other.caller.endpoints.create({
        url: `https://clinic.example/${newId("endpoint")}`,
        eventTypes: ["claim.submitted"],
      });
      await other.caller.endpoints.create({
        url: `https://clinic.example/${newId("endpoint")}`,
        eventTypes: ["claim.submitted"],
      });
      // Commits wake A or B's dispatcher too: stop them, so only the two rounds below run.
      await a.insurer.dispatcher.stop();
      await b.insurer.dispatcher.stop();
      const submitted = await Promise.all(
        Array.from({ length: 40 }, () => other.caller.claims.submit(claimInput())),
      );
      const rounds = await Promise.all([
        one.insurer.dispatcher.dispatchDue(),
        two.insurer.dispatcher.dispatchDue(),
        one.insurer.dispatcher.dispatchDue(),
        two.insurer.dispatcher.dispatchDue(),
      ]);
      const { deliveries, events } = a.store.tables;
      const rows = await a.store.db
        .select({ attemptCount: deliveries.attemptCount })
        .from(deliveries)
        .innerJoin(events, eq(events.id, deliveries.eventId))
        .where(
          inArray(
            events.claimId,
            submitted.map((claim) => claim.id),
          ),
        );
      expect(rows).toHaveLength(80);
      // Each delivery claimed exactly once across the four rounds.
      expect(rows.every((row) => row.attemptCount === 1)).toBe(true);
      expect(rounds.reduce((sum, n) => sum + n, 0)).toBe(80);
    } finally {
      await two.stop();
      await one.stop();
      // The lease holder (if any) dispatches again.
      for (const h of [a, b]) if (h.insurer.holds("dispatcher")) h.insurer.dispatcher.start();
    }
  });

  it("create one claim for one clinic reference submitted to both at once", async () => {
    const pairs = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const input = claimInput();
        return Promise.all([clinic.caller.claims.submit(input), clinicAtB.claims.submit(input)]);
      }),
    );
    for (const [first, second] of pairs) expect(second.id).toBe(first.id);
  });

  it("answer an Idempotency-Key the same from either process", async () => {
    const key = `idem-${newId("claim")}`;
    const input = claimInput();
    const call = (h: TestInsurer) =>
      fetch(`${h.url}/claims.submit`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${clinic.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": key,
        },
        body: JSON.stringify(input),
      });
    const first = await call(a);
    const again = await call(b);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
  });

  it("wake a long poll in one process with a commit in the other", async () => {
    let head = await clinicAtB.events.list({ limit: 500 });
    while (head.hasMore) {
      head = await clinicAtB.events.list({ limit: 500, after: head.nextCursor ?? undefined });
    }
    const waiting = clinicAtB.events.wait({
      after: head.nextCursor ?? undefined,
      timeoutMs: 25_000,
    });
    await waitFor(
      "B's long poll to be waiting",
      () => b.insurer.services.feed.waiters.count(clinic.clinicId) === 1,
    );
    const claim = await clinic.caller.claims.submit(claimInput());
    const page = await waiting;
    expect(page.items.map((item) => item.data)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ claimId: claim.id }) }),
    ]);
  }, 40_000);

  it("hold one API key's rate limit across both processes", async () => {
    const x = await startTestInsurer({
      start: true,
      joining: a,
      env: { RATE_LIMIT_PER_SECOND: "0.01", RATE_LIMIT_BURST: "3" },
    });
    const y = await startTestInsurer({
      start: true,
      joining: a,
      env: { RATE_LIMIT_PER_SECOND: "0.01", RATE_LIMIT_BURST: "3" },
    });
    try {
      const statuses: number[] = [];
      for (const h of [x, y, x, y, x, y]) {
        const res = await fetch(`${h.url}/clinics.list`, {
          headers: { authorization: `Bearer ${STAFF_KEY}` },
        });
        statuses.push(res.status);
      }
      // The staff key's bucket holds 3: the fourth request, whichever process gets it, waits.
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    } finally {
      await y.stop();
      await x.stop();
    }
  });
});
