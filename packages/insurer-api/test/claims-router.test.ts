import { businessDaysBetween, decisionDeadline } from "@claimwire/contracts";
import type { SqliteStore } from "@claimwire/insurer-db";
import type { inferProcedureInput } from "@trpc/server";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppRouter } from "../src/routers/root.ts";
import {
  type Caller,
  checkOutboxAndStop,
  claimInput,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";

type DecideInput = inferProcedureInput<AppRouter["claims"]["decide"]>;

let h: TestInsurer;
let clinic: Caller;
let clinicId: string;

beforeAll(async () => {
  h = await startTestInsurer();
  ({ caller: clinic, clinicId } = await h.newClinic());
});
afterAll(() => checkOutboxAndStop(h));

/** Every claim and event row, as the store holds them: "nothing changed" means this is equal. */
async function snapshot() {
  const { db, tables } = h.store;
  return {
    claims: await db.select().from(tables.claims).orderBy(asc(tables.claims.id)),
    events: await db.select().from(tables.events).orderBy(asc(tables.events.seq)),
  };
}

async function eventsOf(claimId: string) {
  const { events } = h.store.tables;
  return await h.store.db
    .select({
      type: events.type,
      version: events.version,
      committedAt: events.committedAt,
      payload: events.payload,
    })
    .from(events)
    .where(eq(events.claimId, claimId))
    .orderBy(asc(events.seq));
}

/**
 * Makes every insert into the outbox fail inside the database, as a full disk would;
 * returns what undoes it. A trigger is raw SQL, written for each dialect.
 */
async function failEventInserts(): Promise<() => Promise<void>> {
  const { store } = h;
  if (store.dialect === "sqlite") {
    // The writing connection, inside a transaction of the store's so nothing interleaves.
    const { sqlite } = store as SqliteStore;
    await store.transaction(async () => {
      sqlite.exec(
        "create trigger fail_events before insert on events begin select raise(abort, 'outbox unavailable'); end",
      );
    });
    return () =>
      store.transaction(async () => {
        sqlite.exec("drop trigger fail_events");
      });
  }
  await store.transaction(async (tx) => {
    await tx.execute(
      sql.raw(
        "create function fail_events() returns trigger language plpgsql as $$ begin raise exception 'outbox unavailable'; end $$",
      ),
    );
    await tx.execute(
      sql.raw(
        "create trigger fail_events before insert on events for each row execute function fail_events()",
      ),
    );
  });
  return () =>
    store.transaction(async (tx) => {
      await tx.execute(sql.raw("drop trigger fail_events on events"));
      await tx.execute(sql.raw("drop function fail_events()"));
    });
}

describe("claims.submit", () => {
  it("registers the claim with version 1, its total and a 20-business-day deadline", async () => {
    const claim = await clinic.claims.submit(claimInput());
    expect(claim).toMatchObject({
      clinicId,
      status: "submitted",
      version: 1,
      total: { amount: 18_500, currency: "EUR" },
      decidedAt: null,
      approvedAmount: null,
      reasonCodes: [],
    });
    expect(claim.id).toMatch(/^clm_/);
    expect(claim.decisionDueAt).toBe(decisionDeadline(new Date(claim.submittedAt)).toISOString());
    expect(businessDaysBetween(new Date(claim.submittedAt), new Date(claim.decisionDueAt))).toBe(
      20,
    );
    expect((await eventsOf(claim.id)).map((e) => [e.type, e.version])).toEqual([
      ["claim.submitted", 1],
    ]);
  });

  it("returns the existing claim for a resubmission and writes no second event", async () => {
    const input = claimInput();
    const first = await clinic.claims.submit(input);
    const again = await clinic.claims.submit(structuredClone(input));
    expect(again).toEqual(first);
    expect(await eventsOf(first.id)).toHaveLength(1);
  });

  it("refuses the same reference with a different body (CONFLICT) and changes nothing", async () => {
    const input = claimInput();
    const first = await clinic.claims.submit(input);
    const before = await snapshot();
    const err = await expectTrpcError(
      clinic.claims.submit({ ...input, policyNumber: "POL-999999" }),
      "CONFLICT",
    );
    expect(err.message).toContain(input.clinicReference);
    expect(err.message).toContain(first.id);
    expect(await snapshot()).toEqual(before);
  });

  it("rejects bad input with BAD_REQUEST naming the field, writing nothing", async () => {
    const before = await snapshot();
    const named = await expectTrpcError(
      clinic.claims.submit(claimInput({ patientRef: "John Smith" })),
      "BAD_REQUEST",
    );
    expect(named.message).toMatch(/^patientRef: .*not a name/);

    const negative = await expectTrpcError(
      clinic.claims.submit(
        claimInput({
          serviceLines: [{ code: "99213", serviceDate: "2026-11-20", quantity: 1, unitAmount: -5 }],
        }),
      ),
      "BAD_REQUEST",
    );
    expect(negative.message).toContain("serviceLines.0.unitAmount");
    expect(await snapshot()).toEqual(before);
  });
});

describe("claims.decide", () => {
  it("walks submitted → in_review → approved → paid: versions 1..4, one event per step", async () => {
    const submitted = await clinic.claims.submit(claimInput());
    const steps: DecideInput[] = [
      { claimId: submitted.id, to: "in_review" },
      { claimId: submitted.id, to: "approved" },
      { claimId: submitted.id, to: "paid", paymentReference: "PAY-0001" },
    ];
    const claims = [submitted];
    for (const step of steps) claims.push(await h.staff.claims.decide(step));

    expect(claims.map((c) => [c.status, c.version])).toEqual([
      ["submitted", 1],
      ["in_review", 2],
      ["approved", 3],
      ["paid", 4],
    ]);
    const paid = claims[3]!;
    expect(paid.approvedAmount).toEqual({ amount: 18_500, currency: "EUR" });
    expect(paid.paymentReference).toBe("PAY-0001");
    expect(paid.decidedAt).toBe(claims[2]!.updatedAt);

    // Each event was committed with its change: same version, same instant.
    const written = await eventsOf(submitted.id);
    expect(written.map((e) => [e.type, e.version])).toEqual([
      ["claim.submitted", 1],
      ["claim.in_review", 2],
      ["claim.approved", 3],
      ["claim.paid", 4],
    ]);
    written.forEach((event, i) => {
      expect(event.committedAt).toBe(claims[i]!.updatedAt);
    });
    expect(written[3]!.payload.data).toMatchObject({
      previousStatus: "approved",
      paidAmount: { amount: 18_500, currency: "EUR" },
      paymentReference: "PAY-0001",
    });
  });

  it("refuses an illegal transition with CONFLICT naming from and to, changing nothing", async () => {
    const claim = await clinic.claims.submit(claimInput());
    const before = await snapshot();
    const err = await expectTrpcError(
      h.staff.claims.decide({ claimId: claim.id, to: "approved" }),
      "CONFLICT",
    );
    expect(err.message).toBe(`Claim '${claim.id}' cannot go from 'submitted' to 'approved'`);
    expect(await snapshot()).toEqual(before);
  });

  it("records a partial approval with its amount and reasons", async () => {
    const claim = await clinic.claims.submit(claimInput());
    await h.staff.claims.decide({ claimId: claim.id, to: "in_review" });
    const tooMuch = await expectTrpcError(
      h.staff.claims.decide({
        claimId: claim.id,
        to: "partially_approved",
        approvedAmount: 18_500,
        reasonCodes: ["EXCEEDS_TARIFF"],
      }),
      "BAD_REQUEST",
    );
    expect(tooMuch.message).toContain("approvedAmount");
    const partial = await h.staff.claims.decide({
      claimId: claim.id,
      to: "partially_approved",
      approvedAmount: 12_000,
      reasonCodes: ["EXCEEDS_TARIFF"],
    });
    expect(partial).toMatchObject({
      status: "partially_approved",
      version: 3,
      approvedAmount: { amount: 12_000, currency: "EUR" },
      reasonCodes: ["EXCEEDS_TARIFF"],
    });
  });

  it("keeps the claim unchanged when writing its event fails inside the transaction", async () => {
    const claim = await clinic.claims.submit(claimInput());
    // A real database failure on the outbox insert (as a full disk would cause).
    const restore = await failEventInserts();
    try {
      await expectTrpcError(
        h.staff.claims.decide({ claimId: claim.id, to: "in_review" }),
        "INTERNAL_SERVER_ERROR",
      );
      await expectTrpcError(clinic.claims.submit(claimInput()), "INTERNAL_SERVER_ERROR");
    } finally {
      await restore();
    }
    const after = await clinic.claims.byId({ claimId: claim.id });
    expect(after).toEqual(claim);
    expect(await eventsOf(claim.id)).toHaveLength(1);
  });
});

describe("claims.withdraw, list, queue", () => {
  it("lets the clinic withdraw an open claim, but not a paid one", async () => {
    const claim = await clinic.claims.submit(claimInput());
    const withdrawn = await clinic.claims.withdraw({ claimId: claim.id });
    expect(withdrawn).toMatchObject({ status: "withdrawn", version: 2 });
    expect((await eventsOf(claim.id)).map((e) => e.type)).toEqual([
      "claim.submitted",
      "claim.withdrawn",
    ]);
    const err = await expectTrpcError(clinic.claims.withdraw({ claimId: claim.id }), "CONFLICT");
    expect(err.message).toBe(`Claim '${claim.id}' cannot go from 'withdrawn' to 'withdrawn'`);
  });

  it("pages through a clinic's claims, newest first, with an opaque cursor", async () => {
    const { caller } = await h.newClinic("Paging Clinic");
    const submitted = [];
    for (let i = 0; i < 5; i++) submitted.push(await caller.claims.submit(claimInput()));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await caller.claims.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(submitted.map((c) => c.id).reverse());
    await expectTrpcError(caller.claims.list({ limit: 2, cursor: "not-a-cursor" }), "BAD_REQUEST");
  });

  it("shows staff the open claims, earliest deadline first", async () => {
    const queue = await h.staff.claims.queue({ limit: 500 });
    expect(queue.length).toBeGreaterThan(0);
    expect(queue.every((c) => ["submitted", "in_review", "needs_info"].includes(c.status))).toBe(
      true,
    );
    const deadlines = queue.map((c) => c.decisionDueAt);
    expect(deadlines).toEqual([...deadlines].sort());
  });
});
