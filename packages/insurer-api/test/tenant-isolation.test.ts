// Tenant isolation for EVERY procedure of the insurer API. The list of
// procedures comes from the router itself, so a procedure added later without a case
// here fails the first test. Clinic B acts on clinic A's claim, endpoint, delivery,
// event and key: each call must be NOT_FOUND (a staff-only procedure: FORBIDDEN) and
// leave every row as it was. The few procedures that name nothing of another clinic
// (submit, list one's own, the catalog, `me`) must answer with B's own data only and
// leave A's rows as they were.

import { principalScope } from "@claimwire/insurer-domain";
import type { TRPCError } from "@trpc/server";
import { asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failUntilDeadLetter, submitAndDispatch } from "../src/testing/delivery-fixtures.ts";
import {
  type Caller,
  checkOutboxAndStop,
  claimInput,
  expectTrpcError,
  startTestInsurer,
  type TestInsurer,
} from "../src/testing/harness.ts";
import { PROCEDURE_PATHS } from "./procedure-paths.ts";

/** What clinic A owns, for clinic B to reach for. */
type Owned = {
  clinicId: string;
  claimId: string;
  clinicReference: string;
  endpointId: string;
  disabledEndpointId: string;
  deliveryId: string;
  failedDeliveryId: string;
  eventId: string;
  keyId: string;
};

type Case =
  /** B reaches for A's thing: NOT_FOUND, nothing changes. */
  | { expect: "NOT_FOUND"; call: (b: Caller, a: Owned) => Promise<unknown> }
  /** A staff-only procedure: FORBIDDEN to any clinic, nothing changes. */
  | { expect: "FORBIDDEN"; call: (b: Caller, a: Owned) => Promise<unknown> }
  /** Names nothing of A: B's own answer, with nothing of A in it, and A's rows unchanged. */
  | { expect: "OWN_ONLY"; call: (b: Caller, a: Owned) => Promise<unknown> };

const since = "2000-01-01T00:00:00.000Z";

/** One case per procedure path of appRouter. */
const CASES: Record<string, Case> = {
  "claims.submit": {
    expect: "OWN_ONLY",
    // A's own clinic reference: B gets a claim of its own, not A's (idempotency is per clinic).
    call: (b, a) => b.claims.submit(claimInput({ clinicReference: a.clinicReference })),
  },
  "claims.byId": { expect: "NOT_FOUND", call: (b, a) => b.claims.byId({ claimId: a.claimId }) },
  "claims.list": { expect: "OWN_ONLY", call: (b) => b.claims.list({ limit: 100 }) },
  "claims.withdraw": {
    expect: "NOT_FOUND",
    call: (b, a) => b.claims.withdraw({ claimId: a.claimId }),
  },
  "claims.decide": {
    expect: "FORBIDDEN",
    call: (b, a) => b.claims.decide({ claimId: a.claimId, to: "in_review" }),
  },
  "claims.queue": { expect: "FORBIDDEN", call: (b) => b.claims.queue({ limit: 10 }) },

  "endpoints.create": {
    expect: "OWN_ONLY",
    call: (b) =>
      b.endpoints.create({ url: "https://b.clinic.example/hooks", eventTypes: ["claim.*"] }),
  },
  "endpoints.list": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.list({ clinicId: a.clinicId }),
  },
  "endpoints.byId": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.byId({ endpointId: a.endpointId }),
  },
  "endpoints.stats": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.stats({ endpointId: a.endpointId }),
  },
  "endpoints.deliveryStats": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.deliveryStats({ endpointId: a.endpointId }),
  },
  "endpoints.sendTest": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.sendTest({ endpointId: a.endpointId }),
  },
  "endpoints.update": {
    expect: "NOT_FOUND",
    call: (b, a) =>
      b.endpoints.update({
        endpointId: a.endpointId,
        url: "https://attacker.example/hooks",
        headers: { "X-Stolen": "yes" },
        rateLimitPerSecond: 1,
      }),
  },
  "endpoints.delete": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.delete({ endpointId: a.endpointId }),
  },
  "endpoints.enable": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.enable({ endpointId: a.disabledEndpointId }),
  },
  "endpoints.disable": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.disable({ endpointId: a.endpointId }),
  },
  "endpoints.rotateSecret": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.rotateSecret({ endpointId: a.endpointId }),
  },
  "endpoints.recover": {
    expect: "NOT_FOUND",
    call: (b, a) => b.endpoints.recover({ endpointId: a.endpointId, since }),
  },

  "deliveries.list": {
    expect: "NOT_FOUND",
    call: (b, a) => b.deliveries.list({ endpointId: a.endpointId }),
  },
  "deliveries.attempts": {
    expect: "NOT_FOUND",
    call: (b, a) => b.deliveries.attempts({ deliveryId: a.failedDeliveryId }),
  },
  "deliveries.resend": {
    expect: "NOT_FOUND",
    call: (b, a) => b.deliveries.resend({ deliveryId: a.deliveryId }),
  },

  "clinics.create": { expect: "FORBIDDEN", call: (b) => b.clinics.create({ name: "Mine" }) },
  "clinics.list": { expect: "FORBIDDEN", call: (b) => b.clinics.list() },

  "apiKeys.create": {
    expect: "NOT_FOUND",
    call: (b, a) => b.apiKeys.create({ clinicId: a.clinicId, name: "stolen" }),
  },
  "apiKeys.list": { expect: "NOT_FOUND", call: (b, a) => b.apiKeys.list({ clinicId: a.clinicId }) },
  "apiKeys.revoke": { expect: "NOT_FOUND", call: (b, a) => b.apiKeys.revoke({ keyId: a.keyId }) },

  "events.list": { expect: "NOT_FOUND", call: (b, a) => b.events.list({ clinicId: a.clinicId }) },
  "events.wait": {
    expect: "NOT_FOUND",
    call: (b, a) => b.events.wait({ clinicId: a.clinicId, timeoutMs: 0 }),
  },
  "events.byId": { expect: "NOT_FOUND", call: (b, a) => b.events.byId({ eventId: a.eventId }) },
  "eventTypes.list": { expect: "OWN_ONLY", call: (b) => b.eventTypes.list() },

  "ops.overview": { expect: "FORBIDDEN", call: (b) => b.ops.overview() },

  me: { expect: "OWN_ONLY", call: (b) => b.me() },
};

let h: TestInsurer;
let a: Owned;
let b: { clinicId: string; caller: Caller };

beforeAll(async () => {
  h = await startTestInsurer();
  const clinicA = await h.newClinic("Clinic A");
  b = await h.newClinic("Clinic B");
  const endpoint = await clinicA.caller.endpoints.create({
    url: "https://a.clinic.example/hooks",
    eventTypes: ["*"],
    headers: { "X-Route": "a" },
  });
  const disabled = await clinicA.caller.endpoints.create({
    url: "https://a.clinic.example/off",
    eventTypes: ["claim.paid"],
  });
  await clinicA.caller.endpoints.disable({ endpointId: disabled.id });
  // The endpoint.disabled event went to A's catch-all endpoint; then two claims: one
  // delivery in flight, one dead-lettered.
  const [sending] = await submitAndDispatch(h, clinicA.caller);
  const [failed] = await submitAndDispatch(h, clinicA.caller);
  await failUntilDeadLetter(h, failed!);
  const { claims } = h.store.tables;
  const [claim] = await h.store.db
    .select()
    .from(claims)
    .where(eq(claims.clinicId, clinicA.clinicId));
  if (!claim) throw new Error("clinic A has no claim");
  const key = await clinicA.caller.apiKeys.create({ name: "second" });
  a = {
    clinicId: clinicA.clinicId,
    claimId: claim.id,
    clinicReference: claim.clinicReference,
    endpointId: endpoint.id,
    disabledEndpointId: disabled.id,
    deliveryId: sending!.deliveryId,
    failedDeliveryId: failed!.deliveryId,
    eventId: sending!.eventId,
    keyId: key.id,
  };
});
afterAll(() => checkOutboxAndStop(h));

/**
 * Every row of every table, as stored, but clinic B's own rate-limit bucket: each of B's
 * calls takes a token from it, by design (a row on PostgreSQL, memory on SQLite). Each
 * table's rows are sorted by their content, so the order is the same on each read
 * whatever order the database returns them in.
 */
async function everyRow(): Promise<Record<string, unknown[]>> {
  const { db, tables } = h.store;
  const ownBucket = principalScope({ role: "clinic", clinicId: b.clinicId });
  const byTable = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => {
      let rows: unknown[] = await db.select().from(table);
      if (table === tables.rateLimits) {
        rows = rows.filter((row) => (row as { key: string }).key !== ownBucket);
      }
      const sorted = rows
        .map((row) => ({ key: JSON.stringify(row), row }))
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
        .map(({ row }) => row);
      return [name, sorted] as const;
    }),
  );
  return Object.fromEntries(byTable);
}

/** Clinic A's rows: its claims, events, endpoints, their deliveries and attempts, its keys. */
async function rowsOfA() {
  const { db, tables } = h.store;
  const { apiKeys, attempts, claims, deliveries, endpoints, events } = tables;
  const ownEndpoints = await db
    .select()
    .from(endpoints)
    .where(eq(endpoints.clinicId, a.clinicId))
    .orderBy(asc(endpoints.id));
  const ownDeliveries = await db
    .select()
    .from(deliveries)
    .where(
      inArray(
        deliveries.endpointId,
        ownEndpoints.map((e) => e.id),
      ),
    )
    .orderBy(asc(deliveries.id));
  return {
    claims: await db
      .select()
      .from(claims)
      .where(eq(claims.clinicId, a.clinicId))
      .orderBy(asc(claims.id)),
    events: await db
      .select()
      .from(events)
      .where(eq(events.clinicId, a.clinicId))
      .orderBy(asc(events.seq)),
    endpoints: ownEndpoints,
    deliveries: ownDeliveries,
    attempts: await db
      .select()
      .from(attempts)
      .where(
        inArray(
          attempts.deliveryId,
          ownDeliveries.map((d) => d.id),
        ),
      )
      .orderBy(asc(attempts.id)),
    apiKeys: await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.clinicId, a.clinicId))
      .orderBy(asc(apiKeys.id)),
  };
}

function procedurePaths(): string[] {
  // The router's procedures as its caller type lists them (typechecked: procedure-paths.ts).
  return [...PROCEDURE_PATHS].sort();
}

describe("tenant isolation, every procedure", () => {
  it("has a case for every procedure of the router, and none for a procedure that is gone", () => {
    const paths = procedurePaths();
    expect(paths.length).toBeGreaterThan(20);
    expect(
      paths.filter((path) => !(path in CASES)),
      "procedures without a tenant-isolation case: add one to CASES",
    ).toEqual([]);
    expect(Object.keys(CASES).filter((path) => !paths.includes(path))).toEqual([]);
  });

  it("set up clinic A's data so that each refusal is meaningful", async () => {
    const rows = await rowsOfA();
    expect(rows.endpoints.map((e) => e.enabled).sort()).toEqual([false, true]);
    expect(rows.deliveries.map((d) => d.status).sort()).toEqual(["failed", "sending", "sending"]);
    expect(rows.attempts.length).toBeGreaterThan(0);
    expect(rows.apiKeys).toHaveLength(2);
    expect(rows.events.map((e) => e.id)).toContain(a.eventId);
  });

  const refused = Object.entries(CASES).flatMap(([path, c]) =>
    c.expect === "OWN_ONLY" ? [] : [[path, c.expect, c.call] as const],
  );
  it.each(refused)(
    "%s: clinic B on clinic A's data is %s, and no row changes",
    async (_path, code, call) => {
      const before = await everyRow();
      const err: TRPCError = await expectTrpcError(call(b.caller, a), code);
      if (code === "NOT_FOUND") {
        // The message names what was asked for, never whose it is.
        expect(err.message).toMatch(/^No (claim|endpoint|delivery|clinic|API key|event) with id '/);
      }
      expect(await everyRow()).toEqual(before);
    },
  );

  it.each(Object.entries(CASES).filter(([, c]) => c.expect === "OWN_ONLY"))(
    "%s: names nothing of clinic A, answers with B's own data only, A's rows unchanged",
    async (_path, testCase) => {
      const before = await rowsOfA();
      const result = await testCase.call(b.caller, a);
      const answer = JSON.stringify(result);
      for (const id of [a.clinicId, a.claimId, a.endpointId, a.deliveryId, a.eventId, a.keyId]) {
        expect(answer).not.toContain(id);
      }
      expect(await rowsOfA()).toEqual(before);
    },
  );
});
